import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template';

describe('renderTemplate', () => {
  it('substitutes variables, empty for unknown ones, escaping only in HTML', () => {
    const vars = { sender_name: 'Ann <script>', ticket_number: '42' };
    expect(renderTemplate('Hi {{ sender_name }}, #{{ticket_number}}{{nope}}', vars)).toBe('Hi Ann <script>, #42');
    expect(renderTemplate('<p>{{sender_name}}</p>', vars, { html: true })).toBe('<p>Ann &lt;script&gt;</p>');
  });
});
