import { describe, expect, it } from 'vitest';
import { dueLabel } from './due-label';

const clock = { date: '2026-12-03', time: '10:30' }; // a Thursday
const label = (due_date: string | null, due_time: string | null = null, completed = false) => dueLabel({ due_date, due_time, completed }, clock);

describe('dueLabel', () => {
  it('says Today, Tomorrow, Yesterday, a weekday in the coming week, else the date (with the year when not this one)', () => {
    expect(label(null)).toBeNull();
    expect(label('2026-12-03')?.text).toBe('Today');
    expect(label('2026-12-04')?.text).toBe('Tomorrow');
    expect(label('2026-12-02')?.text).toBe('Yesterday');
    expect(label('2026-12-05')?.text).toBe('Sat');
    expect(label('2026-12-09')?.text).toBe('Wed');
    expect(label('2026-12-10')?.text).toBe('10 Dec');
    expect(label('2026-03-12')?.text).toBe('12 Mar');
    expect(label('2027-01-05')?.text).toBe('5 Jan 2027');
    expect(label('2026-12-05', '18:00')).toMatchObject({ text: 'Sat 18:00', long: 'Saturday, 5 December 2026 at 18:00' });
  });

  it('is overdue once passed while open: an earlier day, or today at an earlier time', () => {
    expect(label('2026-12-02')?.overdue).toBe(true);
    expect(label('2026-12-02', null, true)?.overdue).toBe(false);
    expect(label('2026-12-03')?.overdue).toBe(false);
    expect(label('2026-12-03', '09:00')?.overdue).toBe(true);
    expect(label('2026-12-03', '11:00')?.overdue).toBe(false);
    expect(label('2026-12-04')?.overdue).toBe(false);
  });
});
