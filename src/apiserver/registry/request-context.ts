// Who is asking and how: the user, the dry-run flag and the warnings a request collects on its way.

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface RequestContext {
  user: UserInfo;
  dryRun: boolean;
  fieldManager?: string;
  /** Texts returned as `Warning: 299 - "..."` headers. */
  warnings: string[];
}

export const systemContext = (): RequestContext => ({
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  warnings: [],
});
