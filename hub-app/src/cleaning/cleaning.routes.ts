// Cleaning over HTTP (O9, the cleaner's page): the tasks still to do, taking one, giving it back,
// marking it done, its photo (a JPEG or PNG sent as the request's body) and the photo served back
// to staff; handing a task over or calling it off (a manager or the owner); the rooms that skip
// cleaning; and what each cleaner did. A route parses, calls one service (inside a write when it
// changes something), answers.
import type { Request } from 'express';
import {
  CLEANING_PHOTO_MAX_BYTES,
  CleaningCancelSchema,
  CleaningDoneSchema,
  CleaningReassignSchema,
  CleaningReportQuerySchema,
  CleaningRoomSettingSchema,
  CleaningTaskQuerySchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';
import { assertPhotoContentType, tooLarge } from './cleaning-photos';

const STEP_REFUSALS = ['cleaning_task_closed', 'cleaning_task_taken', 'cleaning_task_not_held'];

/**
 * The body of a photo upload, refused past the size limit. What is sent beyond the limit is read
 * and dropped, so the phone gets the answer instead of a broken connection.
 */
async function photoBody(req: Request): Promise<Buffer> {
  assertPhotoContentType(req.get('content-type'));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= CLEANING_PHOTO_MAX_BYTES) chunks.push(chunk);
  }
  if (size > CLEANING_PHOTO_MAX_BYTES) throw tooLarge();
  return Buffer.concat(chunks);
}

export function cleaningRoutes({ cleaning, cleaningReports }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/cleaning/tasks',
      tag: 'cleaning',
      summary:
        'Cleaning tasks: those still to do (open and taken) unless a status is asked for; by day, room, or only mine',
      query: CleaningTaskQuerySchema,
      handle: ({ query, actor }) => cleaning.list(query, actor),
    }),
    route({
      method: 'get',
      path: '/api/cleaning/tasks/:id',
      tag: 'cleaning',
      summary: 'One cleaning task with its history',
      params: IdParams,
      handle: ({ params }) => cleaning.get(params.id),
    }),
    route({
      method: 'post',
      path: '/api/cleaning/tasks/:id/take',
      errors: { 409: STEP_REFUSALS },
      tag: 'cleaning',
      summary: 'Take a cleaning task: only one person holds it (409 naming who has it)',
      params: IdParams,
      handle: ({ params, actor, write }) => write((ac) => cleaning.take(params.id, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/cleaning/tasks/:id/release',
      errors: { 409: STEP_REFUSALS },
      tag: 'cleaning',
      summary: 'Give a cleaning task back: it is open for another cleaner',
      params: IdParams,
      handle: ({ params, actor, write }) => write((ac) => cleaning.release(params.id, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/cleaning/tasks/:id/done',
      errors: { 409: STEP_REFUSALS },
      tag: 'cleaning',
      summary:
        'Mark the room clean, with a note if needed; the room is free from now if its cleaning buffer still held it',
      params: IdParams,
      body: CleaningDoneSchema,
      handle: ({ params, body, actor, write }) =>
        write((ac) => cleaning.finish(params.id, body.note, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/cleaning/tasks/:id/photo',
      errors: {
        400: ['cleaning_photo_empty'],
        409: ['cleaning_task_not_held'],
        422: ['cleaning_photo_too_large'],
      },
      tag: 'cleaning',
      summary: `The photo of the cleaned room, by the task's holder: the body is a JPEG or PNG image (Content-Type image/jpeg or image/png), at most ${CLEANING_PHOTO_MAX_BYTES / (1024 * 1024)} MB (415 cleaning_photo_not_image otherwise)`,
      params: IdParams,
      handle: async ({ params, actor, write, req }) => {
        const bytes = await photoBody(req);
        return write((ac) =>
          cleaning.addPhoto(params.id, req.get('content-type'), bytes, actor, ac),
        );
      },
    }),
    route({
      method: 'get',
      path: '/api/cleaning/tasks/:id/photo',
      tag: 'cleaning',
      summary: "A cleaning task's photo, as the image itself",
      params: IdParams,
      raw: true,
      handle: ({ params, res }) => {
        const photo = cleaning.photo(params.id);
        res
          .status(200)
          .type(photo.type)
          .set('cache-control', 'private, max-age=3600')
          .send(photo.bytes);
      },
    }),
    route({
      method: 'post',
      path: '/api/cleaning/tasks/:id/reassign',
      errors: { 409: ['cleaning_task_closed'], 422: ['cleaning_not_a_cleaner'] },
      tag: 'cleaning',
      summary: 'Hand a cleaning task to a cleaner (or a manager or the owner), with a reason',
      params: IdParams,
      body: CleaningReassignSchema,
      handle: ({ params, body, actor, write }) =>
        write((ac) => cleaning.reassign(params.id, body.staffId, body.reason, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/cleaning/tasks/:id/cancel',
      errors: { 409: ['cleaning_task_closed'] },
      tag: 'cleaning',
      summary: 'Call a cleaning task off, with a reason; the room is free from now',
      params: IdParams,
      body: CleaningCancelSchema,
      handle: ({ params, body, actor, write }) =>
        write((ac) => cleaning.cancel(params.id, body.reason, actor, ac)),
    }),
    route({
      method: 'get',
      path: '/api/cleaning/rooms',
      tag: 'cleaning',
      summary: 'Which rooms skip cleaning after a session',
      handle: () => cleaning.rooms(),
    }),
    route({
      method: 'put',
      path: '/api/cleaning/rooms/:id',
      tag: 'cleaning',
      summary: 'Mark a room to skip cleaning after its sessions, or to be cleaned again',
      params: IdParams,
      body: CleaningRoomSettingSchema,
      handle: ({ params, body, write }) =>
        write(() => cleaning.setSkip(params.id, body.skipCleaning)),
    }),
    route({
      method: 'get',
      path: '/api/cleaning/report',
      tag: 'cleaning',
      summary:
        'What each cleaner did over a range of days: tasks done, minutes from taking to clean, how long rooms waited, photos',
      query: CleaningReportQuerySchema,
      handle: ({ query }) => cleaningReports.report(query),
    }),
  ];
}
