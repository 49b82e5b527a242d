// Where the public page lives: Vite's base (vite.public.config.ts), /public/ unless built for
// another path.
export const BASE: string = import.meta.env.BASE_URL;

export function extractPath(id: string): string {
  return `${BASE}notices/${encodeURIComponent(id)}`;
}
