/** API tokens (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function TokensPage() {
  return <PageHeader title="API tokens" />;
}
