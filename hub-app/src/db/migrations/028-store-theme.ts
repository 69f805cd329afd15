// The owner's colour for the store's customer pages (its logo is `logo_url` already); null keeps
// the platform's own colour.
export default `
ALTER TABLE store ADD COLUMN theme TEXT;
`;
