import type { RequestHandler } from 'express';
import type { TokenPurpose } from '../queries';
import { tokenQuery } from '../schemas';
import type { AccountsService } from '../service';

export type LinkKind = 'activation' | 'reset' | 'emailChange' | 'emailTaken';

/** The page a link from an email opens: its form while the link is good, otherwise a plain explanation. */
export function tokenLinkPage(
  accounts: AccountsService,
  purpose: TokenPurpose,
  kind: LinkKind,
  view: string,
): RequestHandler {
  return async (req, res) => {
    const query = tokenQuery.safeParse(req.query);
    if (!query.success || !(await accounts.isLinkUsable(query.data.token, purpose))) {
      return linkInvalid(res, kind);
    }
    res.render(view, { token: query.data.token });
  };
}

export function linkInvalid(res: Parameters<RequestHandler>[1], kind: LinkKind): void {
  res.status(410).render('accounts/link-invalid', { kind });
}
