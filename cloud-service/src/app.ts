// The cloud as one express app: its services built by the composition root (cloud.ts) and its HTTP
// API mounted on them (http/app.ts). `service.ts` listens with it and runs its background sweeps.
import type { Express } from 'express';
import { createCloud, type Cloud, type CloudOptions } from './cloud';
import { createHttpApp } from './http/app';

export type CloudAppOptions = CloudOptions;

export interface CloudApp extends Cloud {
  app: Express;
}

export function createCloudApp(options: CloudAppOptions): CloudApp {
  const cloud = createCloud(options);
  const http = createHttpApp(
    { ...cloud, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) },
    { trustProxy: options.trustProxy ?? false },
  );
  return { ...cloud, app: http };
}
