import { parseCli, USAGE } from './cli-options.ts';
import { createSandbox, StateFileError, type Sandbox } from './index.ts';

const parsed = parseCli(process.argv.slice(2));
if (!parsed.ok) {
  process.stderr.write(`${parsed.message}\n\n${USAGE}`);
  process.exit(2);
}
const o = parsed.options;
if (o.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const sandboxOptions = {
  ...(o.stateFile ? { stateFile: o.stateFile } : {}),
  defaultAccount: {
    subdomain: o.subdomain,
    plan: o.plan,
    ...(o.adminEmail ? { adminEmail: o.adminEmail } : {}),
    ...(o.adminPassword ? { adminPassword: o.adminPassword } : {}),
    ...(o.apiToken ? { apiToken: o.apiToken } : {}),
    ...(o.oauthClientId ? { oauthClientId: o.oauthClientId } : {}),
    ...(o.oauthClientSecret ? { oauthClientSecret: o.oauthClientSecret } : {}),
    ...(o.oauthRedirectUri ? { oauthRedirectUris: o.oauthRedirectUri } : {}),
  },
};
let sandbox: Sandbox;
try {
  sandbox = createSandbox(sandboxOptions);
} catch (e) {
  if (!(e instanceof StateFileError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
if (sandbox.state?.recovery) process.stderr.write(`WARNING: ${sandbox.state.recovery.message}\n`);
const { url } = await sandbox.listen(o.port, o.host);
const account = sandbox.registry.default;
const c = account.credentials;
process.stdout.write(
  [
    `Zendesk sandbox listening on ${url}`,
    `  default account  ${account.subdomain}  (API at ${url}/api/v2 and ${url}/${account.subdomain}/api/v2)`,
    `  plan             ${account.plan.name}`,
    `  admin email      ${c.adminEmail}`,
    `  admin password   ${c.adminPassword}`,
    `  API token        ${c.apiToken}`,
    `  OAuth client     ${c.oauthClientId} / ${c.oauthClientSecret}`,
    `  account page     ${url}/__sandbox/accounts/${account.subdomain}/page`,
    `  control API      ${url}/__sandbox/accounts`,
    `  state            ${sandbox.state ? `${sandbox.state.file} (${sandbox.state.created ? 'new' : `loaded in ${sandbox.state.loadMs} ms: ${Object.entries(sandbox.state.loaded).map(([k, n]) => `${n} ${k}`).join(', ')}`})` : 'in memory only (--state-file to keep it)'}`,
    '',
  ].join('\n'),
);

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
