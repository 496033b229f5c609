/** The portal's own minimal frame: the Roster name, and for a signed-in user the links and sign-out. */
import { Anchor, Box, Button, Container, Group, Title } from '@mantine/core';
import { Link, Outlet } from 'react-router';
import { usePortalSession, usePortalSignOut } from './portal-session.ts';

export function PortalLayout() {
  const { state } = usePortalSession();
  const signOut = usePortalSignOut();
  const full = state?.stage === 'full';
  return (
    <Box mih="100vh" bg="gray.0">
      <Box component="header" bg="white" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="md">
          <Group justify="space-between">
            <Anchor component={Link} to="/portal" underline="never" c="dark">
              <Title order={2} size="h4">
                Roster
              </Title>
            </Anchor>
            {state && (
              <Group gap="sm">
                {full && (
                  <>
                    <Anchor component={Link} to="/portal">
                      My Apps
                    </Anchor>
                    <Anchor component={Link} to="/portal/security">
                      Security
                    </Anchor>
                  </>
                )}
                <Button
                  variant="default"
                  size="xs"
                  onClick={() => {
                    void signOut();
                  }}
                >
                  Sign out
                </Button>
              </Group>
            )}
          </Group>
        </Container>
      </Box>
      <Container size="md" py="xl">
        <Outlet />
      </Container>
    </Box>
  );
}
