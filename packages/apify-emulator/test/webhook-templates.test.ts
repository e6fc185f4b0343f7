import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAYLOAD_TEMPLATE,
  renderHeaders,
  renderTemplate,
  type TemplateContext,
  TemplateError,
} from '../src/platform/webhooks/template.js';

const context: TemplateContext = {
  userId: 'EmuLaToRuSeR00001',
  createdAt: '2026-01-01T00:00:05.000Z',
  eventType: 'ACTOR.RUN.SUCCEEDED',
  eventData: { actorId: 'a1', actorRunId: 'r1' },
  resource: { id: 'r1', status: 'SUCCEEDED', stats: { restartCount: 0 }, note: 'say "hi"' },
  globals: { dateISO: '2026-01-01T00:00:05.000Z', dateUnix: 1767225605 },
};

describe('webhook payload templates', () => {
  it('the default template gives the platform default payload', () => {
    expect(renderTemplate(DEFAULT_PAYLOAD_TEMPLATE, context, false)).toEqual({
      userId: 'EmuLaToRuSeR00001',
      createdAt: '2026-01-01T00:00:05.000Z',
      eventType: 'ACTOR.RUN.SUCCEEDED',
      eventData: { actorId: 'a1', actorRunId: 'r1' },
      resource: context.resource,
    });
  });

  it('replaces variables and dotted paths outside strings with their JSON; a missing property is null', () => {
    const template =
      '{"run": {{resource.id}}, "restarts": {{ resource.stats.restartCount }}, "x": {{resource.nope.deeper}}, "t": {{globals.dateUnix}}}';
    expect(renderTemplate(template, context, false)).toEqual({
      run: 'r1',
      restarts: 0,
      x: null,
      t: 1767225605,
    });
  });

  it('leaves strings alone unless shouldInterpolateStrings is on', () => {
    const template =
      '{"text": "run {{resource.id}} is {{resource.status}}", "data": "{{eventData}}", "plain": "{{"}';
    expect(renderTemplate(template, context, false)).toEqual({
      text: 'run {{resource.id}} is {{resource.status}}',
      data: '{{eventData}}',
      plain: '{{',
    });
    expect(renderTemplate(template, context, true)).toEqual({
      text: 'run r1 is SUCCEEDED',
      data: { actorId: 'a1', actorRunId: 'r1' },
      plain: '{{',
    });
  });

  it('interpolates objects and quotes inside longer strings as escaped JSON text', () => {
    const template = '{"text": "data={{eventData}} note={{resource.note}}"}';
    expect(renderTemplate(template, context, true)).toEqual({
      text: 'data={"actorId":"a1","actorRunId":"r1"} note=say "hi"',
    });
  });

  it('refuses unknown variables and templates that are not JSON once rendered', () => {
    expect(() => renderTemplate('{"a": {{token}}}', context, false)).toThrow(
      new TemplateError(
        "Unknown variable '{{token}}': use one of userId, createdAt, eventType, eventData, resource, globals (with .property paths)",
      ),
    );
    expect(() => renderTemplate('{"a": {{userId}}', context, false)).toThrow(TemplateError);
    expect(() => renderTemplate('{"a": {{userId}', context, false)).toThrow(
      new TemplateError("Unclosed '{{' at character 6"),
    );
  });

  it('headers render to an object of strings', () => {
    expect(renderHeaders('{"X-Run": {{resource.id}}, "X-Event": "e={{eventType}}"}', context, true)).toEqual({
      'X-Run': 'r1',
      'X-Event': 'e=ACTOR.RUN.SUCCEEDED',
    });
    expect(() => renderHeaders('{"X-Count": {{resource.stats.restartCount}}}', context, false)).toThrow(
      new TemplateError("Header 'X-Count' of the headers template must be a string, got 0"),
    );
  });
});
