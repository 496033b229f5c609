/**
 * Generated from Roster's OpenAPI document by packages/web/scripts/gen-api-schema.ts.
 * Do not edit: run `npm run gen-api -w packages/web` after changing a route's schema.
 */
export interface paths {
    "/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in admin and the CSRF token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admin: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                            csrfToken: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Sign in with email and password */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admin: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                            csrfToken: string | null;
                        };
                    };
                };
            };
        };
        /** Sign out */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/session/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your own password (min 12 characters) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admin: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every admin permission and what it allows */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @enum {string} */
                                name: "view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins";
                                description: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List admins, by email */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an admin; without a password a one-time password is returned once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        name: string;
                        /**
                         * @default admin
                         * @enum {string}
                         */
                        role?: "owner" | "admin";
                        permissions?: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                        password?: string;
                        mustChangePassword?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admin: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                            oneTimePassword?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admins/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One admin */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "owner" | "admin";
                            permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                            /** @enum {string} */
                            status: "active" | "disabled";
                            mustChangePassword: boolean;
                            /** Format: date-time */
                            lastLoginAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an admin (If-Match optional) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an admin (If-Match or body version required); disabling ends their sessions and revokes their tokens */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email?: string;
                        name?: string;
                        /** @enum {string} */
                        role?: "owner" | "admin";
                        permissions?: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                        /** @enum {string} */
                        status?: "active" | "disabled";
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "owner" | "admin";
                            permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                            /** @enum {string} */
                            status: "active" | "disabled";
                            mustChangePassword: boolean;
                            /** Format: date-time */
                            lastLoginAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                            /** @description Present when the change disabled the admin: sessions ended */
                            sessionsEnded?: number;
                            /** @description Present when the change disabled the admin: API tokens revoked */
                            tokensRevoked?: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admins/{id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reset another admin's password: ends their sessions, revokes their API tokens; they must change it at next sign-in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admin: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                            oneTimePassword?: string;
                            /** @description Sessions of the admin that were ended */
                            sessionsEnded: number;
                            /** @description API tokens of the admin that were revoked */
                            tokensRevoked: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admins/{id}/transfer-ownership": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make this admin an owner and yourself an admin with every permission */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            from: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                            to: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "admin";
                                permissions: ("view_apps" | "assign_apps" | "import_users" | "manage_users" | "manage_provisioning" | "view_logs" | "manage_admins")[];
                                /** @enum {string} */
                                status: "active" | "disabled";
                                mustChangePassword: boolean;
                                /** Format: date-time */
                                lastLoginAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admins/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An admin's API tokens (if you hold every permission they hold) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                                prefix: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                lastUsedAt: string | null;
                                /** Format: date-time */
                                expiresAt: string | null;
                                /** Format: date-time */
                                revokedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admins/{id}/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an admin's API token (if you hold every permission they hold) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    tokenId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            prefix: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            lastUsedAt: string | null;
                            /** Format: date-time */
                            expiresAt: string | null;
                            /** Format: date-time */
                            revokedAt: string | null;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your API tokens (never their values) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                                prefix: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                lastUsedAt: string | null;
                                /** Format: date-time */
                                expiresAt: string | null;
                                /** Format: date-time */
                                revokedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an API token; `value` is shown only in this answer */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        expiresInDays?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                                prefix: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                lastUsedAt: string | null;
                                /** Format: date-time */
                                expiresAt: string | null;
                                /** Format: date-time */
                                revokedAt: string | null;
                            };
                            value: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of your API tokens */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            prefix: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            lastUsedAt: string | null;
                            /** Format: date-time */
                            expiresAt: string | null;
                            /** Format: date-time */
                            revokedAt: string | null;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit log entries, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    actor?: string;
                    action?: string;
                    targetType?: string;
                    targetId?: string;
                    from?: string;
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                /** Format: date-time */
                                at: string;
                                actorId: string | null;
                                actorEmail: string | null;
                                via: string;
                                action: string;
                                targetType: string;
                                targetId: string | null;
                                before: unknown;
                                after: unknown;
                                requestId: string | null;
                                targetName: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered audit log as CSV or NDJSON (streamed) */
        get: {
            parameters: {
                query?: {
                    format?: "csv" | "ndjson";
                    actor?: string;
                    action?: string;
                    targetType?: string;
                    targetId?: string;
                    from?: string;
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search users */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    q?: string;
                    status?: "active" | "inactive";
                    department?: string;
                    jobTitle?: string;
                    organization?: string;
                    location?: string;
                    managerId?: string;
                    employeeId?: string;
                    email?: string;
                    sort?: "displayName" | "email" | "createdAt";
                    order?: "asc" | "desc";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                email: string;
                                givenName: string | null;
                                familyName: string | null;
                                displayName: string;
                                phone: string | null;
                                mobile: string | null;
                                jobTitle: string | null;
                                department: string | null;
                                employeeId: string | null;
                                managerId: string | null;
                                locale: string | null;
                                timeZone: string | null;
                                organization: string | null;
                                location: string | null;
                                custom: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                status: "active" | "inactive";
                                version: number;
                                createdAt: string;
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a user */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        givenName?: string | null;
                        familyName?: string | null;
                        displayName?: string | null;
                        phone?: string | null;
                        mobile?: string | null;
                        jobTitle?: string | null;
                        department?: string | null;
                        employeeId?: string | null;
                        locale?: string | null;
                        timeZone?: string | null;
                        organization?: string | null;
                        location?: string | null;
                        /** Format: uuid */
                        managerId?: string | null;
                        custom?: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status?: "active" | "inactive";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            givenName: string | null;
                            familyName: string | null;
                            displayName: string;
                            phone: string | null;
                            mobile: string | null;
                            jobTitle: string | null;
                            department: string | null;
                            employeeId: string | null;
                            managerId: string | null;
                            locale: string | null;
                            timeZone: string | null;
                            organization: string | null;
                            location: string | null;
                            custom: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "active" | "inactive";
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            givenName: string | null;
                            familyName: string | null;
                            displayName: string;
                            phone: string | null;
                            mobile: string | null;
                            jobTitle: string | null;
                            department: string | null;
                            employeeId: string | null;
                            managerId: string | null;
                            locale: string | null;
                            timeZone: string | null;
                            organization: string | null;
                            location: string | null;
                            custom: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "active" | "inactive";
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a user (soft: the email becomes free) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Update some fields of a user (If-Match or body.version required) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email?: string;
                        givenName?: string | null;
                        familyName?: string | null;
                        displayName?: string | null;
                        phone?: string | null;
                        mobile?: string | null;
                        jobTitle?: string | null;
                        department?: string | null;
                        employeeId?: string | null;
                        locale?: string | null;
                        timeZone?: string | null;
                        organization?: string | null;
                        location?: string | null;
                        /** Format: uuid */
                        managerId?: string | null;
                        custom?: {
                            [key: string]: unknown;
                        };
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            givenName: string | null;
                            familyName: string | null;
                            displayName: string;
                            phone: string | null;
                            mobile: string | null;
                            jobTitle: string | null;
                            department: string | null;
                            employeeId: string | null;
                            managerId: string | null;
                            locale: string | null;
                            timeZone: string | null;
                            organization: string | null;
                            location: string | null;
                            custom: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "active" | "inactive";
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/users/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Activate a user */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            givenName: string | null;
                            familyName: string | null;
                            displayName: string;
                            phone: string | null;
                            mobile: string | null;
                            jobTitle: string | null;
                            department: string | null;
                            employeeId: string | null;
                            managerId: string | null;
                            locale: string | null;
                            timeZone: string | null;
                            organization: string | null;
                            location: string | null;
                            custom: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "active" | "inactive";
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deactivate a user */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            givenName: string | null;
                            familyName: string | null;
                            displayName: string;
                            phone: string | null;
                            mobile: string | null;
                            jobTitle: string | null;
                            department: string | null;
                            employeeId: string | null;
                            managerId: string | null;
                            locale: string | null;
                            timeZone: string | null;
                            organization: string | null;
                            location: string | null;
                            custom: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "active" | "inactive";
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/attributes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List custom attributes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                key: string;
                                label: string;
                                /** @enum {string} */
                                type: "string" | "number" | "boolean" | "date" | "enum";
                                enumValues: string[] | null;
                                required: boolean;
                                version: number;
                                createdAt: string;
                                updatedAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Define a custom attribute */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        key: string;
                        label: string;
                        /** @enum {string} */
                        type: "string" | "number" | "boolean" | "date" | "enum";
                        enumValues?: string[];
                        required?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            key: string;
                            label: string;
                            /** @enum {string} */
                            type: "string" | "number" | "boolean" | "date" | "enum";
                            enumValues: string[] | null;
                            required: boolean;
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/attributes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a custom attribute and its values */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change label, enum values or required (If-Match or body.version required) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        label?: string;
                        enumValues?: string[];
                        required?: boolean;
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            key: string;
                            label: string;
                            /** @enum {string} */
                            type: "string" | "number" | "boolean" | "date" | "enum";
                            enumValues: string[] | null;
                            required: boolean;
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/users/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import users from CSV (text/csv body, streamed) */
        post: {
            parameters: {
                query?: {
                    dryRun?: "true" | "false";
                    matchBy?: "email" | "employeeId";
                    mode?: "upsert" | "create" | "update";
                    emptyCells?: "keep" | "clear";
                    /** @description JSON object: CSV header → field name (e.g. {"Login":"email","Cost":"custom.costCenter"}); "" ignores a column */
                    mapping?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/groups/memberships/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import group memberships from CSV (columns group, user) */
        post: {
            parameters: {
                query?: {
                    dryRun?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply up to 1000 user operations (create, update, upsert, delete), each atomic */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        operations: unknown[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            counts: {
                                ok: number;
                                failed: number;
                            };
                            results: {
                                index: number;
                                /** @enum {string} */
                                status: "ok" | "failed";
                                /** @enum {string} */
                                action?: "created" | "updated" | "unchanged" | "deleted";
                                id?: string;
                                version?: number;
                                error?: {
                                    code: string;
                                    message: string;
                                    issues: {
                                        path: string;
                                        reason: string;
                                    }[];
                                };
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List groups by name */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    /** @description Name prefix, ignoring case */
                    q?: string;
                    /** @description Only groups this user is a direct member of */
                    memberUserId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                description: string | null;
                                memberCounts: {
                                    users: number;
                                    groups: number;
                                };
                                version: number;
                                createdAt: string;
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a group */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        description?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description: string | null;
                            memberCounts: {
                                users: number;
                                groups: number;
                            };
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a group */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description: string | null;
                            memberCounts: {
                                users: number;
                                groups: number;
                            };
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a group (If-Match optional) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a group (If-Match or version required) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        description?: string | null;
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description: string | null;
                            memberCounts: {
                                users: number;
                                groups: number;
                            };
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/groups/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List direct members, or with transitive=true every user covered through nesting */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    transitive?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @enum {string} */
                                memberType: "user" | "group";
                                memberId: string;
                                name: string;
                                email: string | null;
                                status: string | null;
                                addedAt: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add one member (201 added, 200 already a member) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        memberType: "user" | "group";
                        /** Format: uuid */
                        memberId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            added: {
                                /** @enum {string} */
                                memberType: "user" | "group";
                                /** Format: uuid */
                                memberId: string;
                            }[];
                            alreadyMembers: {
                                /** @enum {string} */
                                memberType: "user" | "group";
                                /** Format: uuid */
                                memberId: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            added: {
                                /** @enum {string} */
                                memberType: "user" | "group";
                                /** Format: uuid */
                                memberId: string;
                            }[];
                            alreadyMembers: {
                                /** @enum {string} */
                                memberType: "user" | "group";
                                /** Format: uuid */
                                memberId: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/groups/{id}/members/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add up to 1000 members, all or nothing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        members: {
                            /** @enum {string} */
                            memberType: "user" | "group";
                            /** Format: uuid */
                            memberId: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            added: {
                                /** @enum {string} */
                                memberType: "user" | "group";
                                /** Format: uuid */
                                memberId: string;
                            }[];
                            alreadyMembers: {
                                /** @enum {string} */
                                memberType: "user" | "group";
                                /** Format: uuid */
                                memberId: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/groups/{id}/members/{memberType}/{memberId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a direct member */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    memberType: "user" | "group";
                    memberId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/gallery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the application types that can be added */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                key: string;
                                name: string;
                                description: string;
                                logo: string;
                                docsUrl?: string;
                                settings: {
                                    key: string;
                                    label: string;
                                    description: string;
                                    example: string;
                                    pattern: string;
                                    required: boolean;
                                }[];
                                roles: {
                                    key: string;
                                    label: string;
                                    description?: string;
                                }[];
                                customRolePattern: string;
                                connectionMethods: {
                                    method: string;
                                    label: string;
                                    help?: string;
                                    notice?: string;
                                    authorizeHelp?: string;
                                    recommended?: boolean;
                                    fields: {
                                        key: string;
                                        label: string;
                                        /** @enum {string} */
                                        type: "text" | "secret" | "url" | "email";
                                        help?: string;
                                        placeholder?: string;
                                        required: boolean;
                                    }[];
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List applications by display name */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    type?: "zendesk" | "scim";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                type: string;
                                typeName: string;
                                displayName: string;
                                settings: {
                                    [key: string]: unknown;
                                };
                                targetUrl: string;
                                version: number;
                                createdAt: string;
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add an application from the gallery */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description A gallery entry key (GET /api/gallery)
                         * @enum {string}
                         */
                        type: "zendesk" | "scim";
                        displayName: string;
                        /** @description The gallery entry's settings (GET /api/gallery lists each type's), e.g. { subdomain } */
                        settings: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            type: string;
                            typeName: string;
                            displayName: string;
                            settings: {
                                [key: string]: unknown;
                            };
                            targetUrl: string;
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an application */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            type: string;
                            typeName: string;
                            displayName: string;
                            settings: {
                                [key: string]: unknown;
                            };
                            targetUrl: string;
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an application (If-Match optional) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an application (If-Match or version required); moving a connected one to another account needs disconnect: true */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        displayName?: string;
                        /** @description The gallery entry's settings (GET /api/gallery lists each type's), e.g. { subdomain } */
                        settings?: {
                            [key: string]: unknown;
                        };
                        disconnect?: boolean;
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            type: string;
                            typeName: string;
                            displayName: string;
                            settings: {
                                [key: string]: unknown;
                            };
                            targetUrl: string;
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/apps/{id}/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an application's assignments by principal name */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    principalType?: "user" | "group";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                applicationId: string;
                                /** @enum {string} */
                                principalType: "user" | "group";
                                principalId: string;
                                principalName: string;
                                principalEmail: string | null;
                                role: string;
                                roleLabel: string;
                                version: number;
                                createdAt: string;
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Assign a user or a group with an app role */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        principalType: "user" | "group";
                        /** Format: uuid */
                        principalId: string;
                        /** @description An app role key: default-access, end-user, agent, admin or custom:<id> */
                        role: string;
                        roleLabel?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            /** @enum {string} */
                            principalType: "user" | "group";
                            principalId: string;
                            principalName: string;
                            principalEmail: string | null;
                            role: string;
                            roleLabel: string;
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/assignments/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Assign up to 1000 users and groups, all or nothing (upsert) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assignments: {
                            /** @enum {string} */
                            principalType: "user" | "group";
                            /** Format: uuid */
                            principalId: string;
                            /** @description An app role key: default-access, end-user, agent, admin or custom:<id> */
                            role: string;
                            roleLabel?: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: number;
                            updated: number;
                            unchanged: number;
                            items: {
                                id: string;
                                /** @enum {string} */
                                principalType: "user" | "group";
                                principalId: string;
                                role: string;
                                /** @enum {string} */
                                result: "created" | "updated" | "unchanged";
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/assignments/{assignmentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove an assignment (If-Match optional) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    assignmentId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an assignment's role (If-Match or version required) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    assignmentId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description An app role key: default-access, end-user, agent, admin or custom:<id> */
                        role: string;
                        roleLabel?: string;
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            /** @enum {string} */
                            principalType: "user" | "group";
                            principalId: string;
                            principalName: string;
                            principalEmail: string | null;
                            role: string;
                            roleLabel: string;
                            version: number;
                            createdAt: string;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/apps/{id}/provisioning": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the provisioning configuration (never secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change provisioning settings (If-Match or version required); mappings are checked against the target fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        settings: {
                            mappings?: {
                                target: string;
                                source: {
                                    /** @enum {string} */
                                    kind: "attribute";
                                    attribute: string;
                                } | {
                                    /** @enum {string} */
                                    kind: "constant";
                                    value: (string | number | boolean) | null;
                                } | {
                                    /** @enum {string} */
                                    kind: "expression";
                                    expression: string;
                                };
                                /**
                                 * @default always
                                 * @enum {string}
                                 */
                                apply?: "always" | "on_create";
                            }[];
                            matching?: string[];
                            syncActions?: {
                                create?: boolean;
                                update?: boolean;
                                delete?: boolean;
                                activateDeactivate?: boolean;
                                /** @enum {string} */
                                deprovision?: "delete" | "suspend";
                            };
                            /** @enum {string} */
                            scope?: "assigned" | "all";
                            cycleIntervalMinutes?: number;
                            /** Format: email */
                            notificationEmail?: string | null;
                            sendFailureEmails?: boolean;
                            provisionGroups?: boolean;
                            groupSyncActions?: {
                                create?: boolean;
                                update?: boolean;
                                delete?: boolean;
                            };
                            scopingFilters?: {
                                /** @default  */
                                name?: string;
                                clauses: {
                                    attribute: string;
                                    /** @enum {string} */
                                    operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                    /** @default null */
                                    value?: (string | number | boolean) | null;
                                }[];
                            }[];
                            deletionThreshold?: {
                                /** @default true */
                                enabled?: boolean;
                                /** @default 500 */
                                count?: number | null;
                                /** @default null */
                                percent?: number | null;
                            };
                            requireApproval?: boolean;
                            /** @enum {string} */
                            drift?: "repair" | "report";
                        };
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/apps/{id}/provisioning/connection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Save the connection: a method of the application's connector and its form fields (If-Match or version required) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        method: string;
                        version?: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test connection: each step with its outcome, and what the account can do */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            steps: {
                                name: string;
                                ok: boolean;
                                message: string;
                            }[];
                            actingAs: {
                                id: string;
                                email: string | null;
                                role: string;
                            } | null;
                            warnings: string[];
                            capabilities: {
                                [key: string]: unknown;
                            } | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/test-values": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test connection on unsaved values (any method but OAuth authorization): nothing is stored */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        method: string;
                        version?: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            steps: {
                                name: string;
                                ok: boolean;
                                message: string;
                            }[];
                            actingAs: {
                                id: string;
                                email: string | null;
                                role: string;
                            } | null;
                            warnings: string[];
                            capabilities: {
                                [key: string]: unknown;
                            } | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The connected account's roles (read live) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                key: string;
                                label: string;
                                kind: string;
                                description?: string;
                                typeCode?: number | null;
                            }[];
                            readAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/fields": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The connected account's user fields (read live) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                key: string;
                                label: string;
                                type: string;
                                enumValues?: string[];
                                custom: boolean;
                                createOnly?: boolean;
                                matchable?: boolean;
                                required?: boolean;
                                clearable?: boolean;
                            }[];
                            readAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/mapping-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What one mapping would write for one directory user */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        mapping: {
                            target: string;
                            source: {
                                /** @enum {string} */
                                kind: "attribute";
                                attribute: string;
                            } | {
                                /** @enum {string} */
                                kind: "constant";
                                value: (string | number | boolean) | null;
                            } | {
                                /** @enum {string} */
                                kind: "expression";
                                expression: string;
                            };
                            /**
                             * @default always
                             * @enum {string}
                             */
                            apply?: "always" | "on_create";
                        };
                        /** Format: uuid */
                        userId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch provisioning on: Test connection must pass; starts the initial cycle */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch provisioning off */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a switched-on application: no work starts until resumed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume: state idle and a catch-up cycle */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/cycles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cycles and incremental batches with their counts, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                kind: string;
                                status: string;
                                counts: {
                                    [key: string]: number;
                                };
                                progress: {
                                    total: number;
                                    done: number;
                                };
                                error: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                finishedAt: string | null;
                                durationMs: number | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Run a full cycle now (provisioning must be on) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jobId: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start OAuth: returns the consent URL to open in the admin's browser (valid 10 minutes) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            authorizeUrl: string;
                            expiresAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/provision/oauth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the target sends the browser back after consent (not an API call) */
        get: {
            parameters: {
                query?: {
                    code?: string;
                    state?: string;
                    error?: string;
                    error_description?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Provisioning events, newest first (filters: user, action, status, from, to, cycleId) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    user?: string;
                    action?: string;
                    status?: "success" | "failed" | "skipped";
                    from?: string;
                    to?: string;
                    cycleId?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                /** Format: date-time */
                                at: string;
                                applicationId: string;
                                cycleId: string | null;
                                objectType: string;
                                directoryId: string | null;
                                targetId: string | null;
                                identity: string | null;
                                action: string;
                                status: string;
                                steps: {
                                    name: string;
                                    outcome: string;
                                    detail?: string;
                                }[];
                                changes: {
                                    property: string;
                                    old: unknown;
                                    new: unknown;
                                }[];
                                errorCode: string | null;
                                errorMessage: string | null;
                                advice: string | null;
                                durationMs: number | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered provisioning log as CSV or a JSON array (streamed) */
        get: {
            parameters: {
                query?: {
                    format?: "csv" | "json";
                    user?: string;
                    action?: string;
                    status?: "success" | "failed" | "skipped";
                    from?: string;
                    to?: string;
                    cycleId?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One provisioning event with its steps and old → new changes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    eventId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            /** Format: date-time */
                            at: string;
                            applicationId: string;
                            cycleId: string | null;
                            objectType: string;
                            directoryId: string | null;
                            targetId: string | null;
                            identity: string | null;
                            action: string;
                            status: string;
                            steps: {
                                name: string;
                                outcome: string;
                                detail?: string;
                            }[];
                            changes: {
                                property: string;
                                old: unknown;
                                new: unknown;
                            }[];
                            errorCode: string | null;
                            errorMessage: string | null;
                            advice: string | null;
                            durationMs: number | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Provisioning actions per hour or day: created, updated, suspended, deleted, failed (for the Overview chart) */
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                    bucket?: "hour" | "day";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            bucket: "hour" | "day";
                            /** Format: date-time */
                            from: string;
                            /** Format: date-time */
                            to: string;
                            points: {
                                /** Format: date-time */
                                at: string;
                                created: number;
                                updated: number;
                                suspended: number;
                                deleted: number;
                                failed: number;
                            }[];
                            totals: {
                                created: number;
                                updated: number;
                                suspended: number;
                                deleted: number;
                                failed: number;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Synchronization details: state and reason, the running cycle with progress, the last cycle, the next one */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            running: {
                                id: string;
                                kind: string;
                                status: string;
                                counts: {
                                    [key: string]: number;
                                };
                                progress: {
                                    total: number;
                                    done: number;
                                };
                                error: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                finishedAt: string | null;
                                durationMs: number | null;
                            } | null;
                            lastCompleted: {
                                id: string;
                                kind: string;
                                status: string;
                                counts: {
                                    [key: string]: number;
                                };
                                progress: {
                                    total: number;
                                    done: number;
                                };
                                error: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                finishedAt: string | null;
                                durationMs: number | null;
                            } | null;
                            /** Format: date-time */
                            lastCycleAt: string | null;
                            /** Format: date-time */
                            nextCycleAt: string | null;
                            awaitingApproval: boolean;
                            pendingPlan: {
                                id: string;
                                kind: string;
                                counts: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                version: number;
                            } | null;
                            escrowed: number;
                            quarantine: {
                                since: string | null;
                                cause: string | null;
                                failedRuns: number;
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/escrow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Objects whose last action failed and wait for a retry (escrow), next attempt first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                objectType: string;
                                directoryId: string;
                                identity: string | null;
                                attempts: number;
                                /** Format: date-time */
                                nextAttemptAt: string;
                                lastError: {
                                    code: string;
                                    message: string;
                                    advice: string | null;
                                    class: string | null;
                                } | null;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/escrow/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry escrowed users now: all of them, or the given directory ids */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        directoryIds?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queued: number;
                            directoryIds: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Failure notifications of the application, newest first, with whether the email went out */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                kind: string;
                                recipient: string | null;
                                subject: string;
                                status: string;
                                error: string | null;
                                attempts: number;
                                /** Format: date-time */
                                at: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restart provisioning (If-Match required): cancel the running cycle, clear escrow and quarantine, supersede pending plans, keep or reset links, then run an initial cycle */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        links: "keep" | "reset";
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            type: string;
                            subdomain: string | null;
                            enabled: boolean;
                            state: string;
                            stateReason: {
                                [key: string]: unknown;
                            } | null;
                            connection: {
                                method: string | null;
                                subdomain: string | null;
                                clientId: string | null;
                                adminEmail: string | null;
                                fields: {
                                    [key: string]: string;
                                };
                                storedSecrets: string[];
                                scopes: string[];
                                connected: boolean;
                                hasClientSecret: boolean;
                                connectedAt: string | null;
                                tokenExpiresAt: string | null;
                                lastTest: {
                                    ok: boolean;
                                    at: string;
                                    cause: string | null;
                                } | null;
                            };
                            settings: {
                                /** @default [] */
                                mappings: {
                                    target: string;
                                    source: {
                                        /** @enum {string} */
                                        kind: "attribute";
                                        attribute: string;
                                    } | {
                                        /** @enum {string} */
                                        kind: "constant";
                                        value: (string | number | boolean) | null;
                                    } | {
                                        /** @enum {string} */
                                        kind: "expression";
                                        expression: string;
                                    };
                                    /**
                                     * @default always
                                     * @enum {string}
                                     */
                                    apply: "always" | "on_create";
                                }[];
                                /**
                                 * @default [
                                 *       "external_id",
                                 *       "email"
                                 *     ]
                                 */
                                matching: string[];
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true,
                                 *       "activateDeactivate": true,
                                 *       "deprovision": "delete"
                                 *     }
                                 */
                                syncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                    /** @default true */
                                    activateDeactivate: boolean;
                                    /**
                                     * @default delete
                                     * @enum {string}
                                     */
                                    deprovision: "delete" | "suspend";
                                };
                                /**
                                 * @default assigned
                                 * @enum {string}
                                 */
                                scope: "assigned" | "all";
                                /** @default 40 */
                                cycleIntervalMinutes: number;
                                /**
                                 * Format: email
                                 * @default null
                                 */
                                notificationEmail: string | null;
                                /** @default false */
                                sendFailureEmails: boolean;
                                /** @default true */
                                provisionGroups: boolean;
                                /**
                                 * @default {
                                 *       "create": true,
                                 *       "update": true,
                                 *       "delete": true
                                 *     }
                                 */
                                groupSyncActions: {
                                    /** @default true */
                                    create: boolean;
                                    /** @default true */
                                    update: boolean;
                                    /** @default true */
                                    delete: boolean;
                                };
                                /** @default [] */
                                scopingFilters: {
                                    /** @default  */
                                    name: string;
                                    clauses: {
                                        attribute: string;
                                        /** @enum {string} */
                                        operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                        /** @default null */
                                        value: (string | number | boolean) | null;
                                    }[];
                                }[];
                                /**
                                 * @default {
                                 *       "enabled": true,
                                 *       "count": 500,
                                 *       "percent": null
                                 *     }
                                 */
                                deletionThreshold: {
                                    /** @default true */
                                    enabled: boolean;
                                    /** @default 500 */
                                    count: number | null;
                                    /** @default null */
                                    percent: number | null;
                                };
                                /** @default false */
                                requireApproval: boolean;
                                /**
                                 * @default repair
                                 * @enum {string}
                                 */
                                drift: "repair" | "report";
                            };
                            settingsSaved: boolean;
                            redirectUrl: string;
                            lastCycleAt: string | null;
                            nextCycleAt: string | null;
                            version: number;
                            restart: {
                                cancelledCycles: number;
                                clearedEscrow: number;
                                supersededPlans: number;
                                deletedLinks: number;
                                cycleRequested: boolean;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/import-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Import sessions of the application, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                applicationId: string;
                                /** @enum {string} */
                                status: "reading" | "classified" | "applying" | "applied" | "failed" | "cancelled";
                                counts: {
                                    [key: string]: number;
                                };
                                progress: {
                                    phase: string;
                                    done: number;
                                    total: number | null;
                                };
                                notImported: {
                                    target: string;
                                    reason: string;
                                }[];
                                error: {
                                    code: string;
                                    message: string;
                                    advice?: string;
                                } | null;
                                createdBy: string | null;
                                createdAt: string;
                                updatedAt: string;
                                finishedAt: string | null;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Start an import session: a job reads and classifies every user of the target account */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            /** @enum {string} */
                            status: "reading" | "classified" | "applying" | "applied" | "failed" | "cancelled";
                            counts: {
                                [key: string]: number;
                            };
                            progress: {
                                phase: string;
                                done: number;
                                total: number | null;
                            };
                            notImported: {
                                target: string;
                                reason: string;
                            }[];
                            error: {
                                code: string;
                                message: string;
                                advice?: string;
                            } | null;
                            createdBy: string | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/import-sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One session: status, progress, counts per category */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            /** @enum {string} */
                            status: "reading" | "classified" | "applying" | "applied" | "failed" | "cancelled";
                            counts: {
                                [key: string]: number;
                            };
                            progress: {
                                phase: string;
                                done: number;
                                total: number | null;
                            };
                            notImported: {
                                target: string;
                                reason: string;
                            }[];
                            error: {
                                code: string;
                                message: string;
                                advice?: string;
                            } | null;
                            createdBy: string | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/import-sessions/{sessionId}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Items by email or name: category, differences or conflict reason, apply status */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    category?: "new" | "update" | "activate" | "deactivate" | "conflict" | "unchanged";
                    applyStatus?: "pending" | "applied" | "failed" | "none";
                    search?: string;
                };
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                targetId: string;
                                /** @enum {string} */
                                category: "new" | "update" | "activate" | "deactivate" | "conflict" | "unchanged";
                                identity: string;
                                directoryUserId: string | null;
                                target: {
                                    [key: string]: unknown;
                                };
                                differences: {
                                    field: string;
                                    directory: unknown;
                                    target: unknown;
                                }[];
                                reasonCode: string | null;
                                reason: string | null;
                                /** @enum {string|null} */
                                sourceProfile: "target" | "directory" | null;
                                /** @enum {string|null} */
                                applyStatus: "pending" | "applied" | "failed" | null;
                                applyError: {
                                    [key: string]: unknown;
                                } | null;
                                appliedAt: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/import-sessions/{sessionId}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a selection (If-Match): a job applies it in batches; items already confirmed are never applied twice */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        categories?: ("new" | "update" | "activate" | "deactivate")[];
                        targetIds?: string[];
                        /** @enum {string} */
                        sourceProfile?: "target" | "directory";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            /** @enum {string} */
                            status: "reading" | "classified" | "applying" | "applied" | "failed" | "cancelled";
                            counts: {
                                [key: string]: number;
                            };
                            progress: {
                                phase: string;
                                done: number;
                                total: number | null;
                            };
                            notImported: {
                                target: string;
                                reason: string;
                            }[];
                            error: {
                                code: string;
                                message: string;
                                advice?: string;
                            } | null;
                            createdBy: string | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            version: number;
                            selected: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/import-sessions/{sessionId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: a read stops, an apply stops after its current batch; confirmed items not yet applied are dropped */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            /** @enum {string} */
                            status: "reading" | "classified" | "applying" | "applied" | "failed" | "cancelled";
                            counts: {
                                [key: string]: number;
                            };
                            progress: {
                                phase: string;
                                done: number;
                                total: number | null;
                            };
                            notImported: {
                                target: string;
                                reason: string;
                            }[];
                            error: {
                                code: string;
                                message: string;
                                advice?: string;
                            } | null;
                            createdBy: string | null;
                            createdAt: string;
                            updatedAt: string;
                            finishedAt: string | null;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/scope-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Impact of a scope or scoping filter change before saving it: users entering and leaving scope, and the accounts that would be deprovisioned */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        scope?: "assigned" | "all";
                        scopingFilters: {
                            /** @default  */
                            name?: string;
                            clauses: {
                                attribute: string;
                                /** @enum {string} */
                                operator: "equals" | "not_equals" | "is_true" | "is_false" | "is_null" | "is_not_null" | "regex_match" | "not_regex_match" | "includes" | "ends_with" | "greater_than" | "greater_than_or_equals" | "in_group" | "not_in_group";
                                /** @default null */
                                value?: (string | number | boolean) | null;
                            }[];
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            current: number;
                            proposed: number;
                            entering: {
                                count: number;
                                users: {
                                    id: string;
                                    email: string;
                                    name: string;
                                }[];
                            };
                            leaving: {
                                count: number;
                                users: {
                                    id: string;
                                    email: string;
                                    name: string;
                                }[];
                            };
                            leavingProvisioned: number;
                            /** @enum {string} */
                            leavingAction: "delete" | "suspend" | "none";
                            dropsEveryone: boolean;
                            staged: boolean;
                            note: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/on-demand": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Provision one user (or one group’s users) now, showing each step: connection, read, scope, match, action, result */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        userId: string;
                    } | {
                        /** Format: uuid */
                        groupId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            result: string;
                            steps: {
                                /** @enum {string} */
                                name: "connection" | "read" | "scope" | "match" | "action" | "result";
                                outcome: string;
                                detail: string;
                                data: {
                                    [key: string]: unknown;
                                };
                            }[];
                            users?: {
                                userId: string;
                                identity: string;
                                result: string;
                                steps: {
                                    /** @enum {string} */
                                    name: "connection" | "read" | "scope" | "match" | "action" | "result";
                                    outcome: string;
                                    detail: string;
                                    data: {
                                        [key: string]: unknown;
                                    };
                                }[];
                            }[];
                            group?: {
                                result: string;
                                detail: string;
                                events: {
                                    [key: string]: unknown;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/dry-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Compute a full cycle’s plan without applying it (a job; poll the plan until ready) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            plan: {
                                id: string;
                                applicationId: string;
                                cycleId: string | null;
                                /** @enum {string} */
                                kind: "dry_run" | "approval" | "staged_deletions";
                                /** @enum {string} */
                                status: "computing" | "ready" | "pending" | "approved" | "discarded" | "applied" | "superseded" | "failed";
                                counts: {
                                    [key: string]: number;
                                };
                                reason: {
                                    [key: string]: unknown;
                                } | null;
                                createdBy: string | null;
                                decidedBy: string | null;
                                /** Format: date-time */
                                decidedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Kept plans, newest first (filters: kind, status) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    kind?: "dry_run" | "approval" | "staged_deletions";
                    status?: "computing" | "ready" | "pending" | "approved" | "discarded" | "applied" | "superseded" | "failed";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                applicationId: string;
                                cycleId: string | null;
                                /** @enum {string} */
                                kind: "dry_run" | "approval" | "staged_deletions";
                                /** @enum {string} */
                                status: "computing" | "ready" | "pending" | "approved" | "discarded" | "applied" | "superseded" | "failed";
                                counts: {
                                    [key: string]: number;
                                };
                                reason: {
                                    [key: string]: unknown;
                                } | null;
                                createdBy: string | null;
                                decidedBy: string | null;
                                /** Format: date-time */
                                decidedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                version: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/plans/{planId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One plan: kind, status, counts by action, reason (ETag: its version) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    planId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            cycleId: string | null;
                            /** @enum {string} */
                            kind: "dry_run" | "approval" | "staged_deletions";
                            /** @enum {string} */
                            status: "computing" | "ready" | "pending" | "approved" | "discarded" | "applied" | "superseded" | "failed";
                            counts: {
                                [key: string]: number;
                            };
                            reason: {
                                [key: string]: unknown;
                            } | null;
                            createdBy: string | null;
                            decidedBy: string | null;
                            /** Format: date-time */
                            decidedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/plans/{planId}/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The plan’s actions in order, per user: action, properties old → new, reason (filter: action) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    action?: string;
                };
                header?: never;
                path: {
                    id: string;
                    planId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                seq: number;
                                objectType: string;
                                directoryId: string | null;
                                targetId: string | null;
                                identity: string | null;
                                action: string;
                                changes: {
                                    property: string;
                                    old: unknown;
                                    new: unknown;
                                }[];
                                steps: {
                                    name: string;
                                    outcome: string;
                                    detail?: string;
                                }[];
                                reason: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/plans/{planId}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the plan’s actions as CSV or JSON lines (streamed) */
        get: {
            parameters: {
                query?: {
                    format?: "csv" | "jsonl";
                    action?: string;
                };
                header?: never;
                path: {
                    id: string;
                    planId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/plans/{planId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a pending plan (staged removals: allow them); applied by a job, each action re-checked against the current directory. If-Match required */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    planId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            cycleId: string | null;
                            /** @enum {string} */
                            kind: "dry_run" | "approval" | "staged_deletions";
                            /** @enum {string} */
                            status: "computing" | "ready" | "pending" | "approved" | "discarded" | "applied" | "superseded" | "failed";
                            counts: {
                                [key: string]: number;
                            };
                            reason: {
                                [key: string]: unknown;
                            } | null;
                            createdBy: string | null;
                            decidedBy: string | null;
                            /** Format: date-time */
                            decidedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/provisioning/plans/{planId}/discard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Discard a pending plan (staged removals: provisioning resumes, and the next cycle stages them again if the cause remains). If-Match required */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    planId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            applicationId: string;
                            cycleId: string | null;
                            /** @enum {string} */
                            kind: "dry_run" | "approval" | "staged_deletions";
                            /** @enum {string} */
                            status: "computing" | "ready" | "pending" | "approved" | "discarded" | "applied" | "superseded" | "failed";
                            counts: {
                                [key: string]: number;
                            };
                            reason: {
                                [key: string]: unknown;
                            } | null;
                            createdBy: string | null;
                            decidedBy: string | null;
                            /** Format: date-time */
                            decidedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/applications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's state in each application: assignment, role, linked account, last event, pending retry */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                applicationId: string;
                                displayName: string;
                                type: string;
                                provisioningEnabled: boolean;
                                state: string;
                                assigned: boolean;
                                via: {
                                    /** @enum {string} */
                                    principalType: "user" | "group";
                                    groupId: string | null;
                                    groupName: string | null;
                                } | null;
                                role: string | null;
                                roleName: string | null;
                                targetId: string | null;
                                linkState: string | null;
                                lastEvent: {
                                    id: number;
                                    at: string;
                                    action: string;
                                    objectType: string;
                                    status: string;
                                    errorCode: string | null;
                                    errorMessage: string | null;
                                    advice: string | null;
                                } | null;
                                escrow: {
                                    attempts: number;
                                    nextAttemptAt: string;
                                    lastError: {
                                        code: string | null;
                                        message: string | null;
                                    } | null;
                                } | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's sign-in: status, second factors, sessions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "never" | "invited" | "active";
                            /** Format: date-time */
                            invitedAt: string | null;
                            /** Format: date-time */
                            passwordSetAt: string | null;
                            /** Format: date-time */
                            lastSignInAt: string | null;
                            totp: boolean;
                            passkeys: number;
                            sessions: {
                                /** Format: uuid */
                                id: string;
                                stage: string;
                                method: string;
                                mfa: boolean;
                                address: string | null;
                                userAgent: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                lastSeenAt: string;
                                /** Format: date-time */
                                expiresAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/sign-in/invite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email an invitation to set a password (link valid 7 days, once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sentTo: string;
                            /** Format: date-time */
                            expiresAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/sign-in/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email a password-reset link (valid 1 hour, once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sentTo: string;
                            /** Format: date-time */
                            expiresAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/sign-in/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End one portal session of the user */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ended: number;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/sign-in/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End every portal session of the user */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ended: number;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/settings/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Directory users' sign-in policy */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mfaRequired: boolean;
                            version: number;
                        };
                    };
                };
            };
        };
        /** Set the directory users' sign-in policy (MFA required or optional) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        mfaRequired: boolean;
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mfaRequired: boolean;
                            version: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in directory user, the sign-in stage and the CSRF token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                /** Format: uuid */
                                id: string;
                                email: string;
                                displayName: string;
                            };
                            /** @enum {string} */
                            stage: "full" | "second_factor" | "enrol";
                            csrfToken: string;
                            mfa: boolean;
                            mfaRequired: boolean;
                            totp: boolean;
                            passkeys: number;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Sign in with email and password */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            stage: "full" | "second_factor" | "enrol";
                            csrfToken: string;
                        };
                    };
                };
            };
        };
        /** Sign out */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/session/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Second step of a password sign-in: the code of the authenticator app */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            stage: "full" | "second_factor" | "enrol";
                            csrfToken: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/passkey-sign-in/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start signing in with a passkey (also the second step of a password sign-in) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            challengeId: string;
                            options: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/passkey-sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish signing in with a passkey */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        challengeId: string;
                        credential: {
                            id: string;
                            rawId: string;
                            /** @enum {string} */
                            type: "public-key";
                            response: {
                                clientDataJSON: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            stage: "full" | "second_factor" | "enrol";
                            csrfToken: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the first password from an invitation link */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask for a password-reset email (the answer never says whether the email is known; 10 per address per 15 min, 3 mails per email per hour) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password from a reset link (ends every session) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My Apps: the applications assigned to the signed-in user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                displayName: string;
                                type: string;
                                role: string;
                                roleLabel: string;
                                startUrl: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your passkeys */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                lastUsedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Finish adding a passkey */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        challengeId: string;
                        name?: string;
                        credential: {
                            id: string;
                            rawId: string;
                            /** @enum {string} */
                            type: "public-key";
                            response: {
                                clientDataJSON: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            lastUsedAt: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/passkeys/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start adding a passkey */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            challengeId: string;
                            options: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove one of your passkeys */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/totp/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start setting up an authenticator app (shown once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            uri: string;
                            secret: string;
                            qrSvg: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm the authenticator app with a code from it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/api/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove the authenticator app */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/sso": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the SSO settings and what to paste into the application (never secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            /** @enum {string} */
                            method: "off" | "saml" | "jwt";
                            methods: ("saml" | "jwt")[];
                            overlapDays: number;
                            jwtSecretSet: boolean;
                            samlLogoutUrl: string | null;
                            version: number;
                            paste: {
                                samlSignInUrl: string;
                                remoteLogoutUrl: string;
                                certificateFingerprintSha256: string | null;
                                metadataUrl: string;
                                entityId: string;
                                jwtRemoteLoginUrl: string;
                                myAppsStartUrl: string;
                            };
                            target: {
                                acsUrl: string;
                                audience: string;
                                jwtUrl: string | null;
                            } | null;
                            certificates: {
                                id: string;
                                /** @enum {string} */
                                state: "next" | "active" | "retired";
                                algorithm: string;
                                fingerprintSha256: string;
                                certificatePem: string;
                                notBefore: string;
                                notAfter: string;
                                activateAt: string | null;
                                activatedAt: string | null;
                                retiredAt: string | null;
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the SSO method and settings; the JWT shared secret is write-only (If-Match or version required) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        method?: "off" | "saml" | "jwt";
                        overlapDays?: number;
                        jwtSecret?: string | null;
                        /** Format: uri */
                        samlLogoutUrl?: string | null;
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicationId: string;
                            /** @enum {string} */
                            method: "off" | "saml" | "jwt";
                            methods: ("saml" | "jwt")[];
                            overlapDays: number;
                            jwtSecretSet: boolean;
                            samlLogoutUrl: string | null;
                            version: number;
                            paste: {
                                samlSignInUrl: string;
                                remoteLogoutUrl: string;
                                certificateFingerprintSha256: string | null;
                                metadataUrl: string;
                                entityId: string;
                                jwtRemoteLoginUrl: string;
                                myAppsStartUrl: string;
                            };
                            target: {
                                acsUrl: string;
                                audience: string;
                                jwtUrl: string | null;
                            } | null;
                            certificates: {
                                id: string;
                                /** @enum {string} */
                                state: "next" | "active" | "retired";
                                algorithm: string;
                                fingerprintSha256: string;
                                certificatePem: string;
                                notBefore: string;
                                notAfter: string;
                                activateAt: string | null;
                                activatedAt: string | null;
                                retiredAt: string | null;
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/apps/{id}/sso/certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signing certificates (next, active, retired) with SHA-256 fingerprints */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                /** @enum {string} */
                                state: "next" | "active" | "retired";
                                algorithm: string;
                                fingerprintSha256: string;
                                certificatePem: string;
                                notBefore: string;
                                notAfter: string;
                                activateAt: string | null;
                                activatedAt: string | null;
                                retiredAt: string | null;
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/sso/certificates/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create the next certificate: published in metadata at once, active when activated or after the overlap period */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            state: "next" | "active" | "retired";
                            algorithm: string;
                            fingerprintSha256: string;
                            certificatePem: string;
                            notBefore: string;
                            notAfter: string;
                            activateAt: string | null;
                            activatedAt: string | null;
                            retiredAt: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/sso/certificates/activate-next": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make the next certificate the one that signs (the active one is retired) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            state: "next" | "active" | "retired";
                            algorithm: string;
                            fingerprintSha256: string;
                            certificatePem: string;
                            notBefore: string;
                            notAfter: string;
                            activateAt: string | null;
                            activatedAt: string | null;
                            retiredAt: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/{id}/sso/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test sign-in as a user: the NameID and attributes (or JWT claims) Roster would send, or why it would refuse */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        userId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            method: "off" | "saml" | "jwt";
                            refusal: {
                                code: string;
                                message: string;
                                advice: string;
                            } | null;
                            nameId?: string;
                            nameIdFormat?: string;
                            attributes?: {
                                name: string;
                                values: string[];
                            }[];
                            audience?: string;
                            recipient?: string;
                            claims?: {
                                [key: string]: unknown;
                            };
                            url?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sso/saml/{appId}/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** IdP metadata XML of an application (every published signing certificate) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sso/saml/{appId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SAML single sign-on service, HTTP-Redirect binding */
        get: {
            parameters: {
                query?: {
                    SAMLRequest?: string;
                    RelayState?: string;
                    SigAlg?: string;
                    Signature?: string;
                };
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** SAML single sign-on service, HTTP-POST binding */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        SAMLRequest?: string;
                        RelayState?: string;
                        SigAlg?: string;
                        Signature?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sso/apps/{appId}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** IdP-initiated sign-in (My Apps): an unsolicited SAML Response, or a JWT */
        get: {
            parameters: {
                query?: {
                    return_to?: string;
                    brand_id?: string;
                };
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sso/jwt/{appId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** JWT remote login URL: signs the user in with a JWT posted to the application */
        get: {
            parameters: {
                query?: {
                    return_to?: string;
                    brand_id?: string;
                };
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sso/saml/{appId}/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Single logout: a SAML LogoutRequest (HTTP-Redirect) gets a signed LogoutResponse; without one, a remote logout GET from the application (ends the portal session, signed-out page) */
        get: {
            parameters: {
                query?: {
                    SAMLRequest?: string;
                    RelayState?: string;
                    SigAlg?: string;
                    Signature?: string;
                    email?: string;
                    external_id?: string;
                    brand_id?: string;
                };
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** SAML single logout, HTTP-POST binding: a LogoutRequest gets a signed LogoutResponse */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        SAMLRequest?: string;
                        RelayState?: string;
                        SigAlg?: string;
                        Signature?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
