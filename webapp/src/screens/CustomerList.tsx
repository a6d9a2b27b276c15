import { Button, SearchBox, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { useSearchParams } from 'wouter';
import { requestErrorCode } from '../api/errors';
import { CustomersDocument, type CustomersQuery, type CustomersQueryVariables } from '../api/generated';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { RouterLink } from '../components/RouterLink';
import { useI18n } from '../i18n/I18nProvider';
import { customerPath } from '../routes';
import { RequireViewer } from '../viewer/ViewerProvider';
import { CreateCustomerAction, type NewCustomer } from './CreateCustomer';

const PAGE_SIZE = 50;

type Customer = CustomersQuery['customers']['nodes'][number];

const useStyles = makeStyles({
  search: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  added: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  pager: { display: 'flex', gap: tokens.spacingHorizontalS },
});

/** Search, cursors and direction live in the address, so that Back and a reload keep the page. */
export function pageVariables(params: URLSearchParams): CustomersQueryVariables {
  const search = params.get('search') || null;
  const before = params.get('before');
  if (before) return { search, last: PAGE_SIZE, before };
  return { search, first: PAGE_SIZE, after: params.get('after') };
}

/** The customer list: 50 a page, searchable by company name or domain. */
export function CustomerList() {
  const { t, date, country } = useI18n();
  const styles = useStyles();
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const [draft, setDraft] = useState(search);
  useEffect(() => setDraft(search), [search]); // Back and Forward bring their own search along
  const [{ data, error }, reexecute] = useQuery({ query: CustomersDocument, variables: pageVariables(params) });
  const [added, setAdded] = useState<NewCustomer | null>(null);
  const onCreated = (customer: NewCustomer) => {
    setAdded(customer);
    reexecute({ requestPolicy: 'network-only' });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wanted = draft.trim();
    setParams(wanted ? { search: wanted } : {});
  };
  const turnPage = (cursor: { after: string } | { before: string }) =>
    setParams(search ? { search, ...cursor } : cursor);

  const columns: Column<Customer>[] = [
    { header: t('customers.company'), cell: (c) => <RouterLink href={customerPath(c.id)}>{c.companyName}</RouterLink> },
    { header: t('customers.domain'), cell: (c) => c.domain },
    { header: t('customers.country'), cell: (c) => country(c.country) },
    { header: t('customers.since'), cell: (c) => date(c.createdAt) },
  ];
  const page = data?.customers;
  return (
    <>
      <PageHeading>{t('customers.title')}</PageHeading>
      {/* Waits for the viewer alone: the list itself loads beside it. */}
      <RequireViewer>
        <CreateCustomerAction onCreated={onCreated} />
      </RequireViewer>
      {added && (
        <div className={styles.added}>
          <Notice>{t('createCustomer.done', { company: added.companyName })}</Notice>
          <RouterLink href={customerPath(added.id)}>{added.companyName}</RouterLink>
        </div>
      )}
      <form role="search" className={styles.search} onSubmit={submit}>
        <SearchBox
          aria-label={t('customers.searchLabel')}
          placeholder={t('customers.searchLabel')}
          value={draft}
          onChange={(_, change) => setDraft(change.value)}
        />
        <Button type="submit">{t('customers.search')}</Button>
      </form>
      {error && <ErrorNotice code={requestErrorCode(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />}
      {!page && !error && <Loading />}
      {page && (
        <>
          <Text role="status">{t('customers.count', { count: page.totalCount })}</Text>
          {page.nodes.length > 0 ? (
            <DataTable label={t('customers.table')} columns={columns} rows={page.nodes} />
          ) : (
            <Text>{t('customers.none')}</Text>
          )}
          <nav aria-label={t('pager.label')} className={styles.pager}>
            <Button
              disabled={!page.pageInfo.hasPreviousPage || !page.pageInfo.startCursor}
              onClick={() => page.pageInfo.startCursor && turnPage({ before: page.pageInfo.startCursor })}
            >
              {t('pager.previous')}
            </Button>
            <Button
              disabled={!page.pageInfo.hasNextPage || !page.pageInfo.endCursor}
              onClick={() => page.pageInfo.endCursor && turnPage({ after: page.pageInfo.endCursor })}
            >
              {t('pager.next')}
            </Button>
          </nav>
        </>
      )}
    </>
  );
}
