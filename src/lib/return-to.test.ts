import { describe, expect, it } from 'vitest';
import { safeReturnTo, signInUrl } from './return-to';

describe('safeReturnTo', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeReturnTo('/tasks')).toBe('/tasks');
    expect(safeReturnTo('/tasks?filter=active')).toBe('/tasks?filter=active');
    expect(safeReturnTo('/tasks?filter=completed#top')).toBe('/tasks?filter=completed#top');
  });

  it('refuses anything that could leave the site', () => {
    for (const value of [
      'https://evil.example/tasks',
      '//evil.example/tasks',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      ' /tasks',
      '/tasks\n//evil',
      '/%0d%0aLocation:%20https://evil.example'.replace('%0d%0a', '\r\n'),
      'tasks',
      '',
      null,
      undefined,
      `/${'a'.repeat(3000)}`,
    ]) {
      expect(safeReturnTo(value), String(value)).toBe('/tasks');
    }
  });

  it('does not send a person back to the sign-in or sign-up page', () => {
    expect(safeReturnTo('/sign-in')).toBe('/tasks');
    expect(safeReturnTo('/sign-in?next=/tasks')).toBe('/tasks');
    expect(safeReturnTo('/sign-up')).toBe('/tasks');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeReturnTo('/a/../tasks')).toBe('/tasks');
    expect(safeReturnTo('/../../tasks')).toBe('/tasks');
  });
});

describe('signInUrl', () => {
  it('carries the page to come back to and why the person is here', () => {
    expect(signInUrl('/tasks')).toBe('/sign-in');
    expect(signInUrl('/tasks?filter=active')).toBe('/sign-in?next=%2Ftasks%3Ffilter%3Dactive');
    expect(signInUrl('/tasks', 'expired')).toBe('/sign-in?reason=expired');
    expect(signInUrl('https://evil.example')).toBe('/sign-in');
  });
});
