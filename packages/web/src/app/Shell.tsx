/** The frame of every signed-in page: header with the admin and sign-out, navigation by section. */
import { Anchor, AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession, useSessionActions } from '../auth/session.tsx';
import { type NavSection, appRoutes, mayOpen } from './routes.tsx';

const sections: NavSection[] = ['Directory', 'Applications', 'Administration'];

export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const { admin } = useSession();
  const { signOut } = useSessionActions();
  const location = useLocation();
  const held = admin?.permissions ?? [];
  const items = appRoutes.filter((r) => r.nav && mayOpen(r, held));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4">
              <Anchor component={Link} to="/" c="inherit" underline="never" aria-label="Roster home">
                Roster
              </Anchor>
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {admin?.email}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {sections.map((section) => {
            const inSection = items.filter((r) => r.nav?.section === section);
            if (inSection.length === 0) return null;
            return (
              <div key={section}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="sm" mb={4}>
                  {section}
                </Text>
                {inSection.map((r) => (
                  <NavLink
                    key={r.path}
                    component={RouterLink}
                    to={`/${r.path}`}
                    label={r.nav?.label}
                    active={location.pathname === `/${r.path}` || location.pathname.startsWith(`/${r.path}/`)}
                    onClick={close}
                  />
                ))}
              </div>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
