// A key for one step the counter asks of the hub (a redemption): the same key again, after a
// timeout or a scanner firing twice, gets the first answer and changes nothing more. Made with
// getRandomValues, which works on the store's network over plain HTTP, unlike randomUUID.
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
