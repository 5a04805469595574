/**
 * Whose portal this is: the city, the account service its residents sign in with, and where to write.
 * Defaults are the guide's (Ottawa); another municipality sets its own in the configuration. The names
 * reach every page, email and PDF through the translations ($t(common:municipality.city)).
 */
export interface Municipality {
  city: { fr: string; en: string };
  accountService: { fr: string; en: string };
  supportEmail: string;
}

export const GUIDE_MUNICIPALITY: Municipality = {
  city: { fr: 'Ville d’Ottawa', en: 'City of Ottawa' },
  accountService: { fr: 'Mon ServiceOttawa', en: 'MyServiceOttawa' },
  supportEmail: 'SGT_Soutien@ottawa.ca',
};
