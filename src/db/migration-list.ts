// Every migration and seed, imported by name: the bundle that `npm start` runs (dist/server.js) holds
// them, and no TypeScript file is loaded at run time. A test checks this list against the folders.
import type { Knex } from 'knex';
import * as m_accounts from '../../migrations/20261122000001_accounts';
import * as m_building_code_services from '../../migrations/20261122000002_building_code_services';
import * as m_companies from '../../migrations/20261122000003_companies';
import * as m_withdrawals from '../../migrations/20261122000004_withdrawals';
import * as m_staff from '../../migrations/20261122000005_staff';
import * as m_admin_search from '../../migrations/20261122000006_admin_search';
import * as m_letters from '../../migrations/20261122000007_letters';
import * as m_mail_worker_liveness from '../../migrations/20261123000008_mail_worker_liveness';
import * as m_keyed_pin_hashes from '../../migrations/20261127000009_keyed_pin_hashes';
import * as m_review_statuses from '../../migrations/20261127000010_review_statuses';
import * as m_review_work from '../../migrations/20261127000011_review_work';
import * as m_dev_mail_attachments from '../../migrations/20261127000012_dev_mail_attachments';
import * as m_staff_index from '../../migrations/20261127000013_staff_index';
import * as m_fees from '../../migrations/20261127000014_fees';
import * as m_payments from '../../migrations/20261127000015_payments';
import * as m_bank_accounts from '../../migrations/20261127000016_bank_accounts';
import * as m_refunds from '../../migrations/20261127000017_refunds';
import * as m_payment_attention from '../../migrations/20261127000018_payment_attention';
import * as m_documents from '../../migrations/20261127000019_documents';
import * as m_application_templates from '../../migrations/20261127000020_application_templates';
import * as m_inspections from '../../migrations/20261127000021_inspections';
import * as m_incomplete_drafts from '../../migrations/20261202000022_incomplete_drafts';
import * as m_clerk_search from '../../migrations/20261202000023_clerk_search';
import * as m_contact_company from '../../migrations/20261202000024_contact_company';
import * as m_activity_order from '../../migrations/20261203000025_activity_order';
import * as m_rate_limits from '../../migrations/20261203000026_rate_limits';
import * as m_prune_indexes from '../../migrations/20261203000027_prune_indexes';
import * as s_demo_accounts from '../../seeds/001_demo_accounts';
import * as s_demo_building_code_services from '../../seeds/002_demo_building_code_services';
import * as s_demo_companies from '../../seeds/003_demo_companies';
import * as s_demo_fees from '../../seeds/004_demo_fees';
import * as s_demo_templates from '../../seeds/005_demo_templates';
import * as s_demo_inspections from '../../seeds/006_demo_inspections';
import type { DataContext, SeedContext } from './context';

export interface Migration {
  up: (knex: Knex, context: DataContext) => Promise<void>;
  down: (knex: Knex, context: DataContext) => Promise<void>;
}

/** By name, in the order they apply. */
export const MIGRATIONS: [string, Migration][] = [
  ['20261122000001_accounts', m_accounts],
  ['20261122000002_building_code_services', m_building_code_services],
  ['20261122000003_companies', m_companies],
  ['20261122000004_withdrawals', m_withdrawals],
  ['20261122000005_staff', m_staff],
  ['20261122000006_admin_search', m_admin_search],
  ['20261122000007_letters', m_letters],
  ['20261123000008_mail_worker_liveness', m_mail_worker_liveness],
  ['20261127000009_keyed_pin_hashes', m_keyed_pin_hashes],
  ['20261127000010_review_statuses', m_review_statuses],
  ['20261127000011_review_work', m_review_work],
  ['20261127000012_dev_mail_attachments', m_dev_mail_attachments],
  ['20261127000013_staff_index', m_staff_index],
  ['20261127000014_fees', m_fees],
  ['20261127000015_payments', m_payments],
  ['20261127000016_bank_accounts', m_bank_accounts],
  ['20261127000017_refunds', m_refunds],
  ['20261127000018_payment_attention', m_payment_attention],
  ['20261127000019_documents', m_documents],
  ['20261127000020_application_templates', m_application_templates],
  ['20261127000021_inspections', m_inspections],
  ['20261202000022_incomplete_drafts', m_incomplete_drafts],
  ['20261202000023_clerk_search', m_clerk_search],
  ['20261202000024_contact_company', m_contact_company],
  ['20261203000025_activity_order', m_activity_order],
  ['20261203000026_rate_limits', m_rate_limits],
  ['20261203000027_prune_indexes', m_prune_indexes],
];

/** Demo data, in the order they run. */
export const SEEDS: [string, { seed: (knex: Knex, context: SeedContext) => Promise<void> }][] = [
  ['001_demo_accounts', s_demo_accounts],
  ['002_demo_building_code_services', s_demo_building_code_services],
  ['003_demo_companies', s_demo_companies],
  ['004_demo_fees', s_demo_fees],
  ['005_demo_templates', s_demo_templates],
  ['006_demo_inspections', s_demo_inspections],
];
