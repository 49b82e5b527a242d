// The agency's signing key on this workstation: the non-extractable CryptoKey kept in
// IndexedDB (a structured clone keeps it non-extractable), one per agency. Never sent anywhere.
export interface StoredKey {
  agency: string;
  keyId: string;
  privateKey: CryptoKey;
}

const DB = 'ncbnet-console';
const STORE = 'signing-keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'agency' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexedDB'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = work(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error ?? new Error('indexedDB'));
    });
  } finally {
    db.close();
  }
}

export function loadKey(agency: string): Promise<StoredKey | undefined> {
  return run<StoredKey | undefined>('readonly', (s) => s.get(agency));
}

export async function saveKey(key: StoredKey): Promise<void> {
  await run('readwrite', (s) => s.put(key));
}
