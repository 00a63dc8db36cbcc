import { describe, expect, it } from 'vitest';
import { clock, decimal, percent } from './format';

describe('percent', () => {
  it('uses the decimal comma in kk and ru and drops a zero tenth', () => {
    expect(percent(20_000, 'ru')).toBe('20 %');
    expect(percent(20_000, 'en')).toBe('20 %');
    expect(percent(73_333, 'ru')).toBe('73,3 %');
    expect(percent(73_333, 'kk')).toBe('73,3 %');
    expect(percent(73_333, 'en')).toBe('73.3 %');
    expect(percent(66_666, 'kk')).toBe('66,6 %');
    expect(percent(0, 'kk')).toBe('0 %');
    expect(percent(100_000, 'ru')).toBe('100 %');
    expect(percent(5_050, 'ru')).toBe('5 %');
  });

  it('never shows a score just under the pass mark as the pass mark', () => {
    expect(percent(69_999, 'ru')).toBe('69,9 %');
  });
});

describe('decimal', () => {
  it('writes sizes the way the language does', () => {
    expect(decimal(1.5, 'ru')).toBe('1,5');
    expect(decimal(1.5, 'en')).toBe('1.5');
    expect(decimal(12, 'kk')).toBe('12');
    expect(decimal(0.04, 'ru')).toBe('0');
    expect(decimal(2.96, 'kk')).toBe('3');
  });
});

describe('clock', () => {
  it('shows hours only when there are some', () => {
    expect(clock(61_000)).toBe('1:01');
    expect(clock(3_600_000)).toBe('1:00:00');
  });
});
