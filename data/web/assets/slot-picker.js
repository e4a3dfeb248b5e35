// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The week of free times for one service, in the visitor's zone: a day
// group per day (Monday to Sunday in that zone), a button per free time,
// week by week up to the service's horizon. Shared by the booking site,
// the manage page and the staff console.
//
//   const picker = new SlotPicker({service, expert, tz, onSelect, label});
//   container.append(picker.element);
//   await picker.load();
//
// Keyboard: the slot buttons are one tab stop; the arrow keys move between
// them (up and down through the times, left and right to the day before or
// after), Home and End go to the first and last time of the day, Page Down
// and Page Up to the next and previous week.

import { _, n_, format, h, clear, api, uid, browserZone, formatTime, formatDay, isoDate, addDays } from './common.js';

// the zones offered in the zone selector, besides the visitor's own
export const COMMON_ZONES = [
  'Europe/London', 'Europe/Dublin', 'Europe/Paris', 'Europe/Berlin', 'Europe/Madrid',
  'Europe/Rome', 'Europe/Amsterdam', 'Europe/Athens', 'Europe/Istanbul', 'Africa/Johannesburg',
  'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Hong_Kong', 'Asia/Tokyo',
  'Australia/Sydney', 'Pacific/Auckland', 'America/Sao_Paulo', 'America/New_York',
  'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Toronto', 'UTC',
];

let servicesPromise = null;

// the services, fetched once per page
export function loadServices() {
  if (!servicesPromise) {
    servicesPromise = api('GET', '/api/v1/services').catch((e) => {
      servicesPromise = null;
      throw e;
    });
  }
  return servicesPromise;
}

// the zone's name as a visitor reads it: "America/New_York" → "America/New York"
export function zoneLabel(tz) {
  return tz.replace(/_/g, ' ');
}

// a <select> of zones, @current selected
export function zoneOptions(current) {
  const zones = [...new Set([browserZone(), current, ...COMMON_ZONES].filter(Boolean))];
  return zones.map((z) => ({ value: z, label: zoneLabel(z) }));
}

// the Monday of the week holding @isoDay
function monday(isoDay) {
  const d = new Date(`${isoDay}T12:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  return addDays(isoDay, -dow);
}

// the same instant, whatever the offsets
function same(a, b) {
  return Date.parse(a) === Date.parse(b);
}

function noon(isoDay) {
  return new Date(`${isoDay}T12:00:00Z`);
}

export class SlotPicker {
  constructor({ service, expert = null, tz = browserZone(), onSelect = null, label = null, headingLevel = 2 } = {}) {
    this.service = service;
    this.expert = expert ?? null;
    this.tz = tz;
    this.onSelect = onSelect;
    this.label = label || _("Choose a time");
    this.headingLevel = headingLevel;
    this.selected = null;
    this.slots = [];
    this.week = null;
    this.horizonDays = 60;
    this.capacity = 1;
    this.loading = 0;

    const hintId = uid('slot-hint');
    const titleId = uid('slot-title');
    this.heading = h(`h${headingLevel}`, { class: 'slot-picker-title', id: titleId }, this.label);
    const zoneId = uid('slot-zone');
    this.zoneSelect = h('select', { id: zoneId, class: 'slot-zone', onchange: (e) => this.setZone(e.target.value) },
      zoneOptions(tz).map((o) => h('option', { value: o.value, selected: o.value === tz }, o.label)));
    this.prevButton = h('button', { type: 'button', class: 'slot-prev', onclick: () => this.moveWeek(-1) },
      h('span', { 'aria-hidden': 'true' }, '← '), _("Previous week"));
    this.nextButton = h('button', { type: 'button', class: 'slot-next', onclick: () => this.moveWeek(1) },
      _("Next week"), h('span', { 'aria-hidden': 'true' }, ' →'));
    this.weekTitle = h('p', { class: 'slot-week-title' });
    this.status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'slot-body', 'aria-describedby': hintId });
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    this.element = h('section', { class: 'slot-picker', 'aria-labelledby': titleId },
      this.heading,
      h('div', { class: 'slot-toolbar' },
        h('div', { class: 'field slot-zone-field' },
          h('label', { for: zoneId }, _("Time zone")), this.zoneSelect),
        h('div', { class: 'slot-nav' }, this.prevButton, this.weekTitle, this.nextButton)),
      h('p', { class: 'hint slot-help', id: hintId },
        _("Times are shown in the time zone above. In the list of times, use the arrow keys to move between times, Page Down and Page Up for the next and previous week.")),
      this.status,
      this.body);
  }

  async serviceInfo() {
    try {
      const services = await loadServices();
      const s = services.find((x) => x.id === this.service);
      if (s) {
        this.horizonDays = s.horizon_days || this.horizonDays;
        this.capacity = s.capacity || 1;
      }
    } catch (e) {
      // the defaults will do
    }
  }

  today() {
    return isoDate(new Date(), this.tz);
  }

  lastDay() {
    return addDays(this.today(), this.horizonDays);
  }

  // shows the week holding today
  async load() {
    await this.serviceInfo();
    this.week = monday(this.today());
    await this.refresh();
  }

  // reloads the current week (after a 409, say)
  async refresh() {
    if (!this.week) this.week = monday(this.today());
    const from = this.week;
    const to = addDays(from, 6);
    const token = ++this.loading;
    this.body.setAttribute('aria-busy', 'true');
    let answer;
    try {
      const q = new URLSearchParams({ service: this.service, from, to, tz: this.tz });
      if (this.expert !== null) q.set('expert', String(this.expert));
      answer = await api('GET', `/api/v1/slots?${q}`);
    } catch (e) {
      if (token !== this.loading) return;
      this.body.removeAttribute('aria-busy');
      clear(this.body, h('p', { class: 'alert alert-error', role: 'alert' }, e.message));
      return;
    }
    if (token !== this.loading) return;
    this.body.removeAttribute('aria-busy');
    this.slots = answer.slots || [];
    const again = this.selected && this.slots.find((s) => same(s.start, this.selected.start));
    if (again && again.start !== this.selected.start) {
      // the same time in another zone's offset
      this.selected = again;
      if (this.onSelect) this.onSelect(again);
    } else if (this.selected && !again) {
      // a choice in this week that is no longer free is dropped; one in
      // another week stays chosen
      const day = isoDate(new Date(this.selected.start), this.tz);
      if (day >= from && day <= to) this.selected = null;
    }
    this.render();
  }

  setExpert(id) {
    this.expert = id ?? null;
    return this.refresh();
  }

  setZone(tz) {
    if (!tz || tz === this.tz) return Promise.resolve();
    const anchor = this.week ? noon(addDays(this.week, 3)) : new Date();
    this.tz = tz;
    if (this.zoneSelect.value !== tz) {
      if (![...this.zoneSelect.options].some((o) => o.value === tz)) {
        this.zoneSelect.append(h('option', { value: tz }, zoneLabel(tz)));
      }
      this.zoneSelect.value = tz;
    }
    this.week = monday(isoDate(anchor, tz));
    return this.refresh();
  }

  // chooses the slot starting at @start if it is shown (for the pages)
  select(start) {
    const slot = this.slots.find((s) => same(s.start, start));
    if (!slot) return false;
    this.choose(slot);
    return true;
  }

  async moveWeek(delta, focusSlot = false) {
    const next = addDays(this.week, 7 * delta);
    if (delta < 0 && next < monday(this.today())) return;
    if (delta > 0 && next > this.lastDay()) return;
    this.week = next;
    await this.refresh();
    if (focusSlot) {
      const first = this.buttons()[0];
      if (first) first.focus();
      else this.body.querySelector('button') ? this.body.querySelector('button').focus() : this.nextButton.focus();
    }
  }

  // the first week after this one with a free time, up to the horizon
  async jumpAhead() {
    let from = addDays(this.week, 7);
    const last = this.lastDay();
    this.say(_("Looking for the next free time…"));
    while (from <= last) {
      const to = addDays(from, 61) < last ? addDays(from, 61) : last;
      const q = new URLSearchParams({ service: this.service, from, to, tz: this.tz });
      if (this.expert !== null) q.set('expert', String(this.expert));
      let answer;
      try {
        answer = await api('GET', `/api/v1/slots?${q}`);
      } catch (e) {
        this.say(e.message);
        return;
      }
      const first = (answer.slots || [])[0];
      if (first) {
        this.week = monday(isoDate(new Date(first.start), this.tz));
        await this.refresh();
        const b = this.buttons()[0];
        if (b) b.focus();
        return;
      }
      from = addDays(to, 1);
    }
    this.say(_("There are no free times in the coming weeks."));
    clear(this.body, h('p', { class: 'slot-empty' }, _("There are no free times in the coming weeks. Please try another expert or call the store.")));
  }

  say(text) {
    this.status.textContent = text;
  }

  buttons() {
    return [...this.body.querySelectorAll('button.slot')];
  }

  render() {
    const from = this.week;
    const to = addDays(from, 6);
    const range = `${formatDay(noon(from), 'UTC', { day: 'numeric', month: 'short' })} – ${formatDay(noon(to), 'UTC', { day: 'numeric', month: 'short', year: 'numeric' })}`;
    this.weekTitle.textContent = format(_("Week of %s"), range);
    this.prevButton.disabled = addDays(from, -7) < monday(this.today());
    this.nextButton.disabled = addDays(from, 7) > this.lastDay();

    const byDay = new Map();
    for (let i = 0; i < 7; i += 1) byDay.set(addDays(from, i), []);
    for (const s of this.slots) {
      const day = isoDate(new Date(s.start), this.tz);
      if (byDay.has(day)) byDay.get(day).push(s);
    }
    if (!this.slots.length) {
      const more = !this.nextButton.disabled;
      clear(this.body, h('div', { class: 'slot-empty' },
        h('p', {}, _("There are no free times this week.")),
        more ? h('button', { type: 'button', class: 'primary', onclick: () => this.jumpAhead() }, _("Show the next week with free times")) : null));
      this.say(format(_("%s: no free times"), range));
      return;
    }
    const chosen = this.selected && this.slots.find((s) => same(s.start, this.selected.start));
    let tabbable = null;
    const days = [];
    for (const [day, slots] of byDay) {
      const dayLabelId = uid('slot-day');
      const dayName = formatDay(noon(day), 'UTC', { weekday: 'long' });
      const dayDate = formatDay(noon(day), 'UTC', { day: 'numeric', month: 'long' });
      days.push(h('li', { class: `slot-day${slots.length ? '' : ' slot-day-empty'}`, dataset: { day } },
        h(`h${this.headingLevel + 1}`, { class: 'slot-day-title', id: dayLabelId },
          h('span', { class: 'slot-day-name' }, dayName), ' ', h('span', { class: 'slot-day-date' }, dayDate)),
        slots.length
          ? h('ul', { class: 'slot-list', 'aria-labelledby': dayLabelId },
            slots.map((s) => {
              const pressed = chosen ? chosen.start === s.start : false;
              const time = formatTime(s.start, this.tz);
              const b = h('button', {
                type: 'button',
                class: 'slot',
                tabindex: '-1',
                'aria-pressed': pressed ? 'true' : 'false',
                dataset: { start: s.start, day },
                onclick: () => this.choose(s),
              }, h('span', { class: 'slot-time' }, time),
              this.capacity > 1 ? h('span', { class: 'slot-remaining' }, format(n_("%s place left", "%s places left", s.remaining), String(s.remaining))) : null,
              h('span', { class: 'visually-hidden' }, `, ${dayName} ${dayDate}`));
              if (pressed) tabbable = b;
              return h('li', {}, b);
            }))
          : h('p', { class: 'slot-none muted' }, _("No free times"))));
    }
    clear(this.body, h('ol', { class: 'slot-days' }, days));
    const all = this.buttons();
    (tabbable || all[0]).setAttribute('tabindex', '0');
    this.say(format(n_("%1$s: %2$s free time", "%1$s: %2$s free times", this.slots.length), range, String(this.slots.length)));
  }

  choose(slot) {
    this.selected = slot;
    for (const b of this.buttons()) {
      const on = b.dataset.start === slot.start;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.setAttribute('tabindex', on ? '0' : '-1');
    }
    if (this.onSelect) this.onSelect(slot);
  }

  onKey(e) {
    if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      this.moveWeek(e.key === 'PageDown' ? 1 : -1, true);
      return;
    }
    const b = e.target.closest && e.target.closest('button.slot');
    if (!b) return;
    const all = this.buttons();
    const i = all.indexOf(b);
    const dayOf = (x) => x.dataset.day;
    const inDay = all.filter((x) => dayOf(x) === dayOf(b));
    const j = inDay.indexOf(b);
    const days = [...new Set(all.map(dayOf))];
    const d = days.indexOf(dayOf(b));
    let target = null;
    switch (e.key) {
      case 'ArrowDown':
        target = all[i + 1];
        break;
      case 'ArrowUp':
        target = all[i - 1];
        break;
      case 'ArrowRight':
      case 'ArrowLeft': {
        const other = days[d + (e.key === 'ArrowRight' ? 1 : -1)];
        if (other) {
          const list = all.filter((x) => dayOf(x) === other);
          target = list[Math.min(j, list.length - 1)];
        }
        break;
      }
      case 'Home':
        target = inDay[0];
        break;
      case 'End':
        target = inDay[inDay.length - 1];
        break;
      default:
        return;
    }
    e.preventDefault();
    if (target) {
      for (const x of all) x.setAttribute('tabindex', x === target ? '0' : '-1');
      target.focus();
    }
  }
}
