/** Audit log (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function AuditPage() {
  return <PageHeader title="Audit log" />;
}
