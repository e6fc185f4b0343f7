import { ApiError } from '../errors.js';
import type { Actor, Actors } from '../platform/actors.js';
import { checkInputSchema } from '../platform/input-schema.js';
import type { FolderActor, FolderDefinition } from './folder-actor.js';

/**
 * Creates the actor a folder defines (or, for a name already taken, makes that actor the folder's): its
 * runs spawn the folder's start command. The input schema of `.actor/` is built into the actor.
 */
export function registerFolderActor(actors: Actors, definition: FolderDefinition, name?: string): Actor {
  const ref = name ?? definition.name;
  const schema =
    definition.inputSchema === null
      ? null
      : checkInputSchema(structuredClone(definition.inputSchema), `Input schema of '${ref}'`);
  const body = {
    name: ref,
    ...(definition.title === null ? {} : { title: definition.title }),
    ...(definition.description === null ? {} : { description: definition.description }),
  };
  let actor = actors.resolve(ref);
  if (actor === undefined) {
    actor = actors.createNow(body, undefined, schema);
  } else {
    actors.updateNow(actor, body);
    actor.fn = null;
    actor.registeredInputSchema = schema;
    actors.build(actor);
  }
  actor.folder = definition.folder;
  return actor;
}

/** A command run in place (`apify-emulator run -- cmd` without `.actor/`): an actor named after the folder. */
export function registerCommandActor(actors: Actors, ref: string, folder: FolderActor): Actor {
  let actor = actors.resolve(ref);
  if (actor === undefined) actor = actors.createNow({ name: ref });
  else if (actor.fn !== null)
    throw new ApiError(409, 'actor-name-not-unique', `Actor '${ref}' is an in-process function actor`);
  actor.folder = folder;
  return actor;
}
