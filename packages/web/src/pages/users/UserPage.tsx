/** User (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function UserPage() {
  return <PageHeader title="User" />;
}
