// The health line a scanner reports to the hub; the shape is the API's (shared-types).
export type { ScannerStatus } from '@roomhub/shared-types';
