// Benches call the hub as the demo store's manager would (the README lists the demo staff): signed
// in once per hub, the token sent with every call.
const MANAGER_PIN = '222222';
const tokens = new Map<string, Promise<string>>();

async function signIn(base: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin: MANAGER_PIN }),
  });
  const body = (await r.json()) as { token?: string };
  if (!r.ok || !body.token) throw new Error(`bench sign-in at ${base}: ${r.status}`);
  return body.token;
}

/** The headers of the demo manager's sign-in at the hub `base`. */
export async function staffHeaders(base: string): Promise<Record<string, string>> {
  let token = tokens.get(base);
  if (!token) {
    token = signIn(base);
    tokens.set(base, token);
    token.catch(() => tokens.delete(base));
  }
  return { authorization: `Bearer ${await token}` };
}
