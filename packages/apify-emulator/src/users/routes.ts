import { notFound } from '../errors.js';
import { type App, param } from '../http/context.js';
import { dataResponse } from '../http/query.js';
import { USER } from '../storages/common.js';

function userObject(): Record<string, unknown> {
  return {
    id: USER.id,
    username: USER.username,
    profile: { name: 'Apify Emulator' },
    email: 'emulator@localhost',
    proxy: { password: 'emulator', groups: [] },
    plan: { id: 'EMULATOR', description: 'Local emulator', isEnabled: true },
    effectivePlatformFeatures: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    isPaying: false,
  };
}

export function userRoutes(app: App): void {
  app.get('/v2/users/:userId', (c) => {
    const id = param(c, 'userId');
    if (id !== 'me' && id !== USER.id && id !== USER.username) throw notFound(`User '${id}'`);
    return dataResponse(userObject());
  });
}
