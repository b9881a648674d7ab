// Straight-line await graphs: each await line carries its label, the labels it waits for, and its group.
declare function getUser(id: string): Promise<{ id: string; teamId: string; name: string }>;
declare function getPosts(id: string): Promise<string[]>;
declare function getTeam(id: string): Promise<{ name: string }>;
declare function getSettings(id: string): Promise<{ theme: string }>;
declare function log(message: string): Promise<void>;
declare const api: { getUser(id: string): Promise<{ id: string }>; getPosts(id: string): Promise<string[]> };

export async function twoIndependent(id: string) {
  const user = await getUser(id); //@ [u] group(u, p)
  const posts = await getPosts(id); //@ [p]
  return { user, posts };
}

export async function chain(id: string) {
  const user = await getUser(id); //@ [u]
  const team = await getTeam(user.teamId); //@ [t] after(u)
  return team;
}

export async function diamond(id: string) {
  const user = await getUser(id); //@ [u]
  const posts = await getPosts(user.id); //@ [p] after(u) group(p, t)
  const team = await getTeam(user.teamId); //@ [t] after(u)
  return { posts, team };
}

export async function destructured(id: string) {
  const { teamId } = await getUser(id); //@ [u] group(u, s)
  const settings = await getSettings(id); //@ [s]
  const team = await getTeam(teamId); //@ [t] after(u)
  return { settings, team };
}

export async function throughObject(id: string) {
  const user = await getUser(id); //@ [u]
  const query = { owner: user.id, limit: 10 };
  const posts = await getPosts(query.owner); //@ [p] after(u)
  return posts;
}

export async function throughClosure(id: string) {
  const user = await getUser(id); //@ [u]
  const ownerOf = () => user.id;
  const posts = await getPosts(ownerOf()); //@ [p] after(u)
  return posts;
}

export async function throughNamedClosure(id: string) {
  let current = id;
  function owner() { return current; }
  const user = await getUser(id); //@ [u]
  current = user.id;
  const posts = await getPosts(owner()); //@ [p] after(u)
  return posts;
}

export async function controlDependent(id: string) {
  const user = await getUser(id); //@ [u]
  if (user.name === 'admin') {
    await log('admin'); //@ [l] after(u)
  }
  return user;
}

export async function earlyExit(id: string) {
  const user = await getUser(id); //@ [u]
  if (!user) return null;
  const posts = await getPosts(id); //@ [p] after(u)
  return posts;
}

export async function expressionStatements() {
  await log('a'); //@ [a] group(a, b, c)
  await log('b'); //@ [b]
  await log('c'); //@ [c]
}

export async function createdFirst(id: string) {
  const userPromise = getUser(id);
  const postsPromise = getPosts(id);
  const user = await userPromise; //@ [u] concurrent
  const posts = await postsPromise; //@ [p] concurrent
  return { user, posts };
}

export async function combinator(id: string) {
  const [user, posts] = await Promise.all([getUser(id), getPosts(id)]); //@ [all] concurrent
  const team = await getTeam(user.teamId); //@ [t] after(all)
  return { posts, team };
}

export async function sameReceiverReadOnly(id: string) {
  const user = await api.getUser(id); //@ [u] group(u, p)
  const posts = await api.getPosts(id); //@ [p]
  return { user, posts };
}

export const arrow = async (id: string) => {
  const a = await getSettings(id); //@ [a] group(a, b)
  const b = await getSettings(id + '-2'); //@ [b]
  return [a, b];
};

export class Loader {
  async load(id: string) {
    const user = await getUser(id); //@ [u] group(u, s)
    const settings = await getSettings(id); //@ [s]
    const team = await getTeam(user.teamId); //@ [t] after(u)
    return { settings, team };
  }
}

export async function mixedKinds(id: string) {
  const user = await getUser(id); //@ [u]
  let posts = await getPosts(id); //@ [p] group(p, s)
  let settings = await getSettings(id); //@ [s]
  posts = posts.slice(0, 1);
  settings = { ...settings };
  return { user, posts, settings };
}

export async function annotated(id: string) {
  const settings: { theme: string } = await getSettings(id); //@ [s] group(s, p)
  const posts: string[] = await getPosts(id); //@ [p]
  return { settings, posts };
}

export async function ternary(id: string) {
  const user = await getUser(id); //@ [u]
  const posts = user.name ? await getPosts(id) : []; //@ [p] after(u)
  return posts;
}

export async function logicalAnd(id: string) {
  const settings = await getSettings(id); //@ [s]
  const ok = settings.theme === 'dark' && (await log('dark')); //@ [l] after(s)
  return ok;
}

export async function afterTryCatch(id: string) {
  let user;
  try {
    user = await getUser(id); //@ [u]
  } catch {
    user = undefined;
  }
  const team = await getTeam(user ? user.teamId : 'none'); //@ [t] after(u)
  return team;
}

export async function settledPair(id: string) {
  let user: { id: string } | undefined;
  let posts: string[] = [];
  try {
    user = await getUser(id); //@ [u] group(u, p)
  } catch (error) {
    console.error('no user', error);
  }
  try {
    posts = await getPosts(id); //@ [p]
  } catch (error) {
    console.error('no posts', error);
  }
  return { user, posts };
}

export async function settledButCatchReturns(id: string) {
  let user;
  try {
    user = await getUser(id); //@ [u]
  } catch {
    return null;
  }
  let posts: string[] = [];
  try {
    posts = await getPosts(id); //@ [p]
  } catch {
    posts = [];
  }
  return { user, posts };
}

export async function nestedAwaitOperand(id: string) {
  const team = await getTeam( //@ [outer] after(inner)
    (await getUser(id)).teamId, //@ [inner]
  );
  return team;
}
