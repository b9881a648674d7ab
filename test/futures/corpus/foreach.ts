// async callbacks passed to forEach. The async-foreach expectation (fix or nofix), then the loop verdict, on the call line.
declare function save(item: string): Promise<void>;
declare function load(id: string): Promise<string>;

export async function saveAll(items: string[]) {
  items.forEach(async (item) => { //@ async-foreach fix loop independent
    await save(item);
  });
}

export function notAsyncCaller(items: string[]) {
  items.forEach(async (item) => { //@ async-foreach nofix loop independent
    await save(item);
  });
}

export async function dependentCallback(items: string[]) {
  let last = '';
  items.forEach(async (item) => { //@ async-foreach fix loop dependent last (output)
    last = await load(item);
  });
  return last;
}

export async function namedCallback(items: string[]) {
  const handle = async (item: string) => { await save(item); };
  items.forEach(handle); //@ async-foreach fix loop independent
}

export async function expressionBody(items: string[]) {
  items.forEach(async (item) => await save(item)); //@ async-foreach fix loop independent
}

export async function withIndex(items: Set<string>) {
  items.forEach(async (item, again) => { await save(item + again); }); //@ async-foreach nofix loop independent
}

export async function syncCallbackIsFine(items: string[]) {
  const out: string[] = [];
  items.forEach((item) => { out.push(item); });
  await save(out.join(','));
  return out;
}
