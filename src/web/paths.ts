import type { Lang } from '../i18n/i18n';

/**
 * Every page, with its French and its English path. Routes are registered from this table and links are
 * built from it, so the language toggle can always lead to the same page in the other language.
 */
export const paths = {
  emailSent: { fr: '/fr/courriel-envoye', en: '/en/email-sent' },
  signIn: { fr: '/fr/connexion', en: '/en/sign-in' },
  signOut: { fr: '/fr/deconnexion', en: '/en/sign-out' },
  signUp: { fr: '/fr/creer-un-compte', en: '/en/create-account' },
  activate: { fr: '/fr/activer-mon-compte', en: '/en/activate-my-account' },
  resendActivation: { fr: '/fr/renvoyer-le-lien-d-activation', en: '/en/resend-activation-link' },
  forgotPassword: { fr: '/fr/mot-de-passe-oublie', en: '/en/forgot-password' },
  resetPassword: { fr: '/fr/nouveau-mot-de-passe', en: '/en/new-password' },
  settings: { fr: '/fr/mes-parametres', en: '/en/my-settings' },
  changePassword: { fr: '/fr/mes-parametres/mot-de-passe', en: '/en/my-settings/password' },
  changeEmail: { fr: '/fr/mes-parametres/courriel', en: '/en/my-settings/email' },
  confirmEmail: { fr: '/fr/confirmer-mon-courriel', en: '/en/confirm-my-email' },
  dashboard: { fr: '/fr/tableau-de-bord', en: '/en/dashboard' },
  help: { fr: '/fr/aide', en: '/en/help' },
  contact: { fr: '/fr/nous-joindre', en: '/en/contact-us' },
  privacy: { fr: '/fr/confidentialite', en: '/en/privacy' },
  terms: { fr: '/fr/conditions-d-utilisation', en: '/en/terms-of-use' },
  accessibility: { fr: '/fr/accessibilite', en: '/en/accessibility' },
  bcsHome: { fr: '/fr/services-code-batiment', en: '/en/building-code-services' },
  bcsApplications: {
    fr: '/fr/services-code-batiment/demandes',
    en: '/en/building-code-services/applications',
  },
  bcsCompanies: {
    fr: '/fr/services-code-batiment/professionnels-entrepreneurs',
    en: '/en/building-code-services/professionals-contractors',
  },
  register: { fr: '/fr/services-code-batiment/inscription', en: '/en/building-code-services/registration' },
  previousClient: {
    fr: '/fr/services-code-batiment/dossier-client-anterieur',
    en: '/en/building-code-services/previous-client-record',
  },
  previousClientSkip: {
    fr: '/fr/services-code-batiment/dossier-client-anterieur/ne-pas-lier',
    en: '/en/building-code-services/previous-client-record/do-not-link',
  },
  profile: { fr: '/fr/services-code-batiment/mon-profil', en: '/en/building-code-services/my-profile' },
  newApplication: {
    fr: '/fr/services-code-batiment/demandes/nouvelle',
    en: '/en/building-code-services/applications/new',
  },
  application: {
    fr: '/fr/services-code-batiment/demandes/:ref',
    en: '/en/building-code-services/applications/:ref',
  },
  editApplication: {
    fr: '/fr/services-code-batiment/demandes/:ref/modifier',
    en: '/en/building-code-services/applications/:ref/edit',
  },
  submitApplication: {
    fr: '/fr/services-code-batiment/demandes/:ref/soumettre',
    en: '/en/building-code-services/applications/:ref/submit',
  },
  companyNew: {
    fr: '/fr/services-code-batiment/professionnels-entrepreneurs/nouveau',
    en: '/en/building-code-services/professionals-contractors/new',
  },
  companyAssociate: {
    fr: '/fr/services-code-batiment/professionnels-entrepreneurs/associer',
    en: '/en/building-code-services/professionals-contractors/associate',
  },
  company: {
    fr: '/fr/services-code-batiment/entreprises/:id',
    en: '/en/building-code-services/companies/:id',
  },
  companyMembers: {
    fr: '/fr/services-code-batiment/entreprises/:id/comptes-associes',
    en: '/en/building-code-services/companies/:id/associated-accounts',
  },
  companyPin: {
    fr: '/fr/services-code-batiment/entreprises/:id/nouveau-nip',
    en: '/en/building-code-services/companies/:id/new-pin',
  },
  companyFees: {
    fr: '/fr/services-code-batiment/entreprises/:id/droits-et-paiements',
    en: '/en/building-code-services/companies/:id/fees-and-payments',
  },
  companyBank: {
    fr: '/fr/services-code-batiment/entreprises/:id/informations-bancaires',
    en: '/en/building-code-services/companies/:id/banking-information',
  },
  companyTemplates: {
    fr: '/fr/services-code-batiment/entreprises/:id/modeles',
    en: '/en/building-code-services/companies/:id/templates',
  },
  companyTemplateNew: {
    fr: '/fr/services-code-batiment/entreprises/:id/modeles/nouveau',
    en: '/en/building-code-services/companies/:id/templates/new',
  },
  companyTemplate: {
    fr: '/fr/services-code-batiment/entreprises/:id/modeles/:template',
    en: '/en/building-code-services/companies/:id/templates/:template',
  },
  companyTemplateDelete: {
    fr: '/fr/services-code-batiment/entreprises/:id/modeles/:template/supprimer',
    en: '/en/building-code-services/companies/:id/templates/:template/delete',
  },
  companyHistory: {
    fr: '/fr/services-code-batiment/entreprises/:id/historique',
    en: '/en/building-code-services/companies/:id/history',
  },
  withdrawApplication: {
    fr: '/fr/services-code-batiment/demandes/:ref/retirer',
    en: '/en/building-code-services/applications/:ref/withdraw',
  },
  cancelWithdrawal: {
    fr: '/fr/services-code-batiment/demandes/:ref/annuler-le-retrait',
    en: '/en/building-code-services/applications/:ref/cancel-withdrawal',
  },
  deleteDraft: {
    fr: '/fr/services-code-batiment/demandes/:ref/supprimer',
    en: '/en/building-code-services/applications/:ref/delete',
  },
  applicationContact: {
    fr: '/fr/services-code-batiment/demandes/:ref/personne-ressource',
    en: '/en/building-code-services/applications/:ref/contact',
  },
  applicationContactRemove: {
    fr: '/fr/services-code-batiment/demandes/:ref/personne-ressource/retirer',
    en: '/en/building-code-services/applications/:ref/contact/remove',
  },
  applicationMessage: {
    fr: '/fr/services-code-batiment/demandes/:ref/messages',
    en: '/en/building-code-services/applications/:ref/messages',
  },
  answerDeficiency: {
    fr: '/fr/services-code-batiment/demandes/:ref/renseignements/:id/repondre',
    en: '/en/building-code-services/applications/:ref/information/:id/reply',
  },
  applicationDocuments: {
    fr: '/fr/services-code-batiment/demandes/:ref/documents',
    en: '/en/building-code-services/applications/:ref/documents',
  },
  applicationDocument: {
    fr: '/fr/services-code-batiment/demandes/:ref/documents/:id',
    en: '/en/building-code-services/applications/:ref/documents/:id',
  },
  inspectionRequest: {
    fr: '/fr/services-code-batiment/demandes/:ref/inspections/nouvelle',
    en: '/en/building-code-services/applications/:ref/inspections/new',
  },
  inspectionStart: {
    fr: '/fr/services-code-batiment/demande-d-inspection',
    en: '/en/building-code-services/request-an-inspection',
  },
  permitPdf: {
    fr: '/fr/services-code-batiment/demandes/:ref/permis.pdf',
    en: '/en/building-code-services/applications/:ref/permit.pdf',
  },
  verifyPermit: { fr: '/fr/verifier-un-permis', en: '/en/verify-a-permit' },
  unpaidFees: { fr: '/fr/frais-impayes', en: '/en/unpaid-fees' },
  paymentReturn: { fr: '/fr/paiement/retour', en: '/en/payment/return' },
  receiptPdf: { fr: '/fr/recus/:number', en: '/en/receipts/:number' },
  devPayment: { fr: '/fr/dev/paiement/:id', en: '/en/dev/payment/:id' },
  staffFeeTable: { fr: '/fr/admin/bareme-des-frais', en: '/en/admin/fee-table' },
  staffPayments: { fr: '/fr/admin/paiements-a-verifier', en: '/en/admin/payments-to-check' },
  staffSignIn: { fr: '/fr/admin/connexion', en: '/en/admin/sign-in' },
  staffEnrol: { fr: '/fr/admin/double-authentification', en: '/en/admin/two-factor' },
  staffHome: { fr: '/fr/admin', en: '/en/admin' },
  staffWithdrawals: { fr: '/fr/admin/demandes-de-retrait', en: '/en/admin/withdrawal-requests' },
  staffWithdrawal: { fr: '/fr/admin/demandes-de-retrait/:id', en: '/en/admin/withdrawal-requests/:id' },
  staffApplications: { fr: '/fr/admin/demandes', en: '/en/admin/applications' },
  staffApplication: { fr: '/fr/admin/demandes/:number', en: '/en/admin/applications/:number' },
  staffReview: { fr: '/fr/admin/examen', en: '/en/admin/review' },
  staffInspections: { fr: '/fr/admin/inspections', en: '/en/admin/inspections' },
  staffInspectionAct: {
    fr: '/fr/admin/demandes/:number/inspections/:id/:action',
    en: '/en/admin/applications/:number/inspections/:id/:action',
  },
  staffDocument: {
    fr: '/fr/admin/demandes/:number/documents/:id',
    en: '/en/admin/applications/:number/documents/:id',
  },
  staffAct: {
    fr: '/fr/admin/demandes/:number/actions/:action',
    en: '/en/admin/applications/:number/actions/:action',
  },
  staffMessage: { fr: '/fr/admin/demandes/:number/messages', en: '/en/admin/applications/:number/messages' },
  staffResolve: {
    fr: '/fr/admin/demandes/:number/renseignements/:id/resolu',
    en: '/en/admin/applications/:number/information/:id/resolved',
  },
  staffPermitPdf: {
    fr: '/fr/admin/demandes/:number/permis.pdf',
    en: '/en/admin/applications/:number/permit.pdf',
  },
  staffAudit: { fr: '/fr/admin/journal', en: '/en/admin/audit-log' },
  staffRecords: { fr: '/fr/admin/dossiers-anterieurs', en: '/en/admin/earlier-records' },
  staffLetter: {
    fr: '/fr/admin/dossiers-anterieurs/:kind/:id/lettre',
    en: '/en/admin/earlier-records/:kind/:id/letter',
  },
  staffAccounts: { fr: '/fr/admin/comptes', en: '/en/admin/accounts' },
  staffCompany: { fr: '/fr/admin/entreprises/:id', en: '/en/admin/companies/:id' },
  devMail: { fr: '/fr/dev/courriels', en: '/en/dev/mail' },
} as const satisfies Record<string, Record<Lang, string>>;

export type PageName = keyof typeof paths;

/** A page's path in a language, with its :params filled in. */
export function pathFor(name: PageName, lang: Lang, params: Record<string, string> = {}): string {
  return paths[name][lang].replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
}
