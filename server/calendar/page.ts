import { csrfInput } from '../admin/admin-intent.ts';
import { adminNav, logoutForm } from '../admin/admin-nav.ts';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import { isoWeekday } from '../../core/calendar/calendar-day.ts';
import type { ClosedReason, ServiceAvailability } from '../../core/calendar/hall-calendar.ts';
import { defaultWeekdays, type HallRules, type Session } from '../../core/calendar/calendar-rules.ts';
import { field, generalError, quotaSessions, weekdayText, type FieldErrors, type FormValues, type SessionPart } from './page-form.ts';
import { whenText, type CalendarPreview, type PreviewService } from './page-preview.ts';
import { escapeHtml, minuteText, strictCsp } from '../http/html.ts';

/**
 * The hall calendar for the hall office: plain HTML forms, no script, every value escaped. One
 * form edits the whole calendar and saves it as one new revision; a GET form previews a moment.
 */

export const hallCalendarStyle = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1b1b1b;font-size:16px;line-height:1.5}
h1{font-size:24px}h2{font-size:20px;margin-top:32px;border-bottom:2px solid #1b1b1b}h3{font-size:17px;margin:18px 0 6px}
.muted{color:#555;font-size:14px}
table{border-collapse:collapse;margin-top:8px}th,td{border:1px solid #999;padding:6px 10px;text-align:left;vertical-align:top}
th{background:#e6ecf3}
input,select,button{font:inherit;padding:6px 8px;min-height:40px;border:1px solid #555;border-radius:4px}
input.time{width:6em}input.num{width:6em}input.date{width:10em}
input.invalid,select.invalid{border:2px solid #b00020;background:#fff0f2}
button{background:#0b4f9c;color:#fff;border-color:#0b4f9c;padding:8px 20px;cursor:pointer}
button.plain{background:#fff;color:#1b1b1b;border-color:#555}
.field-error{display:block;color:#b00020;font-weight:bold;font-size:14px}
.notice{padding:10px 14px;border-radius:4px;font-weight:bold}
.notice.ok{background:#e3f4e6;color:#14561f}.notice.bad{background:#fde8ea;color:#8a0018}
.open{color:#14561f;font-weight:bold}.closed{color:#8a0018;font-weight:bold}
.mode{font-size:18px;font-weight:bold}
label.remove{white-space:nowrap}
nav a{margin-right:12px}`;

export const hallCalendarCsp = strictCsp(hallCalendarStyle);

export interface HallCalendarPageInput {
  hallName: string;
  timeZone: string;
  adminUser: string;
  csrfToken: string;
  now: number;
  revision: number;
  savedAt: number | null;
  source: string;
  rules: HallRules;
  /** the year whose holidays and 调休 days are listed */
  year: number;
  serviceNames: ReadonlyMap<string, string>;
  preview: CalendarPreview | null;
  /** a refused preview request, said in Chinese */
  previewError?: string;
  /** a refused save: what was typed, and what is wrong with it */
  refused?: { values: FormValues; errors: FieldErrors };
  /** a save that went through (or found nothing to change) */
  notice?: string;
}

const closedText: Record<ClosedReason, string> = {
  holiday: '节假日休息',
  weekend: '周末休息',
  'not-a-service-day': '今日不办理',
  'before-opening': '尚未开始取号',
  'lunch-break': '午间休息',
  'after-hours': '已下班',
  'issue-window-closed': '本时段已停止取号',
  'quota-reached-day': '今日号已取完',
  'quota-reached-session': '本时段号已取完',
};

function weekdaysText(session: Session): string {
  const days = session.weekdays ?? defaultWeekdays;
  if (days.length === 5 && [1, 2, 3, 4, 5].every((d) => days.includes(d))) return '周一至周五';
  if (days.length === 7) return '每天';
  return [...days].sort().map((d) => weekdayText[d]).join('、');
}

/** Renders inputs with what was typed after a refusal, the stored value otherwise, and the field's error. */
class FormFields {
  constructor(private readonly refused: HallCalendarPageInput['refused']) {}

  typed(name: string): string | undefined {
    return this.refused?.values[name];
  }

  error(name: string): string {
    const message = this.refused?.errors[name];
    return message ? `<span class="field-error" data-error-for="${escapeHtml(name)}">${escapeHtml(message)}</span>` : '';
  }

  input(name: string, value: string, options: { label: string; className: string; type?: string; placeholder?: string }): string {
    const shown = this.refused?.values[name] ?? value;
    const invalid = this.refused?.errors[name] !== undefined;
    return `<input name="${escapeHtml(name)}" value="${escapeHtml(shown)}" class="${options.className}${invalid ? ' invalid' : ''}" type="${options.type ?? 'text'}" aria-label="${escapeHtml(options.label)}"${invalid ? ' aria-invalid="true"' : ''}${options.placeholder ? ` placeholder="${escapeHtml(options.placeholder)}"` : ''}>${this.error(name)}`;
  }

  checkbox(name: string, label: string): string {
    const checked = this.refused ? Object.hasOwn(this.refused.values, name) : false;
    return `<label class="remove"><input type="checkbox" name="${escapeHtml(name)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>${this.error(name)}`;
  }
}

function timetablesSection(rules: HallRules, f: FormFields, names: ReadonlyMap<string, string>): string {
  return rules.timetables
    .map((timetable, t) => {
      const groups = rules.counterGroups.filter((g) => g.timetableId === timetable.id).map((g) => g.name.zh);
      const services = rules.services.filter((s) => s.timetableId === timetable.id).map((s) => names.get(s.serviceId) ?? s.serviceId);
      const users = [...(timetable.id === rules.hallTimetableId ? ['大厅默认作息'] : []), ...groups, ...services];
      const rows = rules.seasons.flatMap((season, j) => {
        const sessions = timetable.seasons[season.id] ?? [];
        if (sessions.length === 0) return [`<tr><td>${escapeHtml(season.name.zh)}</td><td colspan="5">本季不开放</td></tr>`];
        return sessions.map((s, k) => {
          const at = (part: SessionPart) => field.session(t, j, k, part);
          const label = `${timetable.name.zh} ${season.name.zh} ${s.name.zh}`;
          return `<tr data-session="${escapeHtml(`${timetable.id}/${season.id}/${s.id}`)}"><td>${escapeHtml(season.name.zh)}</td><td>${escapeHtml(s.name.zh)}</td>
<td>${f.input(at('start'), s.start, { label: `${label} 开始`, className: 'time' })}</td>
<td>${f.input(at('end'), s.end, { label: `${label} 结束`, className: 'time' })}</td>
<td>${f.input(at('issueUntil'), s.issueUntil ?? '', { label: `${label} 取号截止`, className: 'time', placeholder: s.end })}</td>
<td>${escapeHtml(weekdaysText(s))}</td></tr>`;
        });
      });
      return `<h3>${escapeHtml(timetable.name.zh)}</h3><p class="muted">适用于：${escapeHtml(users.join('、') || '（暂无）')}</p>
<table><thead><tr><th>季节</th><th>时段</th><th>开始</th><th>结束</th><th>取号截止</th><th>适用日</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
    })
    .join('\n');
}

function quotaSection(rules: HallRules, f: FormFields, names: ReadonlyMap<string, string>): string {
  const rows = rules.services.map((service, i) => {
    const name = names.get(service.serviceId) ?? service.serviceId;
    const group = service.aroundTheClock ? '24小时服务' : (rules.counterGroups.find((g) => g.id === service.counterGroupId)?.name.zh ?? '大厅作息');
    const perSession = quotaSessions(rules, service)
      .map((s, n) => `<label>${escapeHtml(s.name.zh)} ${f.input(field.quotaSession(i, n), String(service.quota?.perSession?.[s.id] ?? ''), { label: `${name} ${s.name.zh}限号`, className: 'num', placeholder: '不限' })}</label>`)
      .join(' ');
    return `<tr data-service-id="${escapeHtml(service.serviceId)}"><td>${escapeHtml(name)}<br><span class="muted">${escapeHtml(service.serviceId)}</span></td><td>${escapeHtml(group)}</td>
<td>${f.input(field.quotaDay(i), String(service.quota?.perDay ?? ''), { label: `${name} 每日限号`, className: 'num', placeholder: '不限' })}</td>
<td>${perSession || '<span class="muted">—</span>'}</td></tr>`;
  });
  return `<table><thead><tr><th>事项</th><th>窗口组</th><th>每日限号</th><th>每时段限号</th></tr></thead><tbody>
${rows.join('\n') || '<tr><td colspan="4">规则中没有单独列出的事项</td></tr>'}
</tbody></table>`;
}

function calendarSection(rules: HallRules, year: number, f: FormFields): string {
  const inYear = (day: string) => day.startsWith(`${year}-`);
  const holidays = rules.calendar.holidays
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => inYear(h.from) || inYear(h.to))
    .map(({ h, i }) => `<tr data-holiday="${escapeHtml(h.from)}"><td>${escapeHtml(h.name.zh)}</td><td>${escapeHtml(h.from)}</td><td>${escapeHtml(h.to)}</td><td>${f.checkbox(field.removeHoliday(i), '删除')}</td></tr>`);
  const workdays = rules.calendar.workdays
    .map((w, i) => ({ w, i }))
    .filter(({ w }) => inYear(w.date))
    .map(
      ({ w, i }) =>
        `<tr data-workday="${escapeHtml(w.date)}"><td>${escapeHtml(w.date)}（${weekdayText[isoWeekday(w.date)]}）</td><td>按${weekdayText[w.asWeekday]}作息</td><td>${escapeHtml(w.name?.zh ?? '')}</td><td>${f.checkbox(field.removeWorkday(i), '删除')}</td></tr>`,
    );
  const weekdayOptions = (selected: string) =>
    ['<option value="">请选择</option>', ...[1, 2, 3, 4, 5].map((d) => `<option value="${d}"${String(d) === selected ? ' selected' : ''}>按${weekdayText[d]}作息</option>`)].join('');
  const asWeekdayInvalid = f.error(field.newWorkdayAsWeekday) !== '';
  return `<nav class="muted"><a href="?year=${year - 1}">« ${year - 1} 年</a><a href="?year=${year + 1}">${year + 1} 年 »</a></nav>
<h3>节假日（${year} 年）</h3>
<table data-testid="holidays"><thead><tr><th>名称</th><th>开始</th><th>结束</th><th>删除</th></tr></thead><tbody>
${holidays.join('\n') || `<tr><td colspan="4">${year} 年尚无节假日</td></tr>`}
<tr class="new"><td>${f.input(field.newHolidayName, '', { label: '新节假日名称', className: '', placeholder: '如 国庆节' })}
${f.input(field.newHolidayNameEn, '', { label: '新节假日英文名称（可选）', className: '', placeholder: '英文名（可选）' })}</td>
<td>${f.input(field.newHolidayFrom, '', { label: '新节假日开始日期', className: 'date', type: 'date' })}</td>
<td>${f.input(field.newHolidayTo, '', { label: '新节假日结束日期', className: 'date', type: 'date' })}</td><td class="muted">新增（结束日期留空即一天）</td></tr>
</tbody></table>
<h3>调休上班日（${year} 年）</h3>
<table data-testid="workdays"><thead><tr><th>日期</th><th>作息</th><th>名称</th><th>删除</th></tr></thead><tbody>
${workdays.join('\n') || `<tr><td colspan="4">${year} 年尚无调休上班日</td></tr>`}
<tr class="new"><td>${f.input(field.newWorkdayDate, '', { label: '新调休上班日日期', className: 'date', type: 'date' })}</td>
<td><select name="${field.newWorkdayAsWeekday}" aria-label="新调休上班日按周几作息"${asWeekdayInvalid ? ' class="invalid" aria-invalid="true"' : ''}>${weekdayOptions(f.typed(field.newWorkdayAsWeekday) ?? '')}</select>${f.error(field.newWorkdayAsWeekday)}</td>
<td>${f.input(field.newWorkdayName, '', { label: '新调休上班日名称', className: '', placeholder: '如 国庆节调休上班' })}</td><td class="muted">新增</td></tr>
</tbody></table>`;
}

function availabilityCell(s: PreviewService, now: number, timeZone: string): string {
  const a: ServiceAvailability = s.availability;
  if (a.open) {
    const parts = ['可取号'];
    if (a.issueUntil !== null) parts.push(`${hallLocalTime(a.issueUntil, timeZone).time.slice(0, 5)} 停止取号`);
    if (a.remaining !== null) parts.push(`限 ${a.remaining} 号`);
    return `<td class="open" data-open="true">${escapeHtml(parts.join(' · '))}</td>`;
  }
  const why = a.holiday ? `${a.holiday.zh}休息` : closedText[a.reason];
  const next = a.nextOpening === null ? '规则中不再开放' : `${whenText(now, a.nextOpening, timeZone)} 开始取号`;
  return `<td class="closed" data-open="false">${escapeHtml(`${why}，${next}`)}</td>`;
}

function previewSection(input: HallCalendarPageInput): string {
  const { preview, timeZone } = input;
  const day = preview?.day ?? hallLocalTime(input.now, timeZone).day;
  const time = preview?.time ?? hallLocalTime(input.now, timeZone).time.slice(0, 5);
  const form = `<form method="get" action="/admin/hall-calendar" data-testid="preview-form">
<input type="hidden" name="year" value="${input.year}">
<label>日期 <input type="date" name="date" value="${escapeHtml(day)}" class="date"></label>
<label>时间 <input type="time" name="time" value="${escapeHtml(time)}" class="time"></label>
<button type="submit" class="plain">预览</button></form>
${input.previewError ? `<p class="notice bad" role="alert">${escapeHtml(input.previewError)}</p>` : ''}`;
  if (!preview) return form;
  const at = preview.at;
  const mode = preview.mode.mode === 'staffed' ? '人工窗口服务（可取号）' : '24小时自助服务';
  const switchAt = preview.mode.nextSwitch === null ? '' : `，${whenText(at, preview.mode.nextSwitch, timeZone)} ${preview.mode.mode === 'staffed' ? '转为24小时自助服务' : '人工窗口开放'}`;
  const closedDay = preview.hallClosed ? `<p>大厅当日：${escapeHtml(preview.hallClosed.holiday ? `${preview.hallClosed.holiday.zh}假期，大厅休息` : closedText[preview.hallClosed.reason])}</p>` : '';
  const groups = preview.groups
    .map(
      (g) => `<tr><th colspan="2">${escapeHtml(g.name)}</th></tr>
${g.services.map((s) => `<tr data-preview-service="${escapeHtml(s.serviceId)}"><td>${escapeHtml(s.name)}</td>${availabilityCell(s, at, timeZone)}</tr>`).join('\n')}`,
    )
    .join('\n');
  return `${form}
<div data-testid="preview"><p class="mode" data-testid="preview-mode" data-mode="${preview.mode.mode}">${escapeHtml(`${preview.day}（${weekdayText[isoWeekday(preview.day)]}）${preview.time}：${mode}${switchAt}`)}</p>
${closedDay}<p class="muted">按当日尚未取号计算；限号为全天或本时段的剩余号数。</p>
<table><thead><tr><th>事项</th><th>自助机显示</th></tr></thead><tbody>
${groups}
</tbody></table></div>`;
}

export function hallCalendarPage(input: HallCalendarPageInput): string {
  const { rules, timeZone } = input;
  const f = new FormFields(input.refused);
  const title = `${input.hallName} · 大厅日历`;
  const revision =
    input.savedAt === null
      ? `当前为第 0 版：尚未保存大厅自己的日历，自助机使用内置规则。保存后即为第 1 版。`
      : `当前版本：第 ${input.revision} 版，保存于 ${minuteText(input.savedAt, timeZone)}（${input.source}）`;
  const fieldErrors = input.refused ? Object.keys(input.refused.errors).filter((k) => k !== generalError).length : 0;
  const general = input.refused?.errors[generalError];
  const refusedNotice = input.refused
    ? `<div class="notice bad" role="alert" data-testid="refused">${fieldErrors ? `有 ${fieldErrors} 处需要修改（见标红的输入框），未保存，日历仍为第 ${input.revision} 版。` : ''}${general ? `${fieldErrors ? '<br>' : ''}${escapeHtml(general)}` : ''}</div>`
    : '';
  const seasons = rules.seasons.map((s) => `<tr><td>${escapeHtml(s.name.zh)}</td><td>${escapeHtml(s.from)} 至 ${escapeHtml(s.to)}</td></tr>`).join('');
  const groups = rules.counterGroups.map((g) => `<tr><td>${escapeHtml(g.name.zh)}</td><td>${escapeHtml(rules.timetables.find((t) => t.id === g.timetableId)?.name.zh ?? g.timetableId)}</td></tr>`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${hallCalendarStyle}</style></head><body>
${adminNav('calendar')}
<h1>${escapeHtml(title)}</h1>
<p data-testid="revision" data-revision="${input.revision}">${escapeHtml(revision)}</p>
${refusedNotice}
<p class="muted">时间均为大厅当地时间（${escapeHtml(timeZone)}）。保存后，各自助机在下次同步时取得新版本；离线的自助机恢复联网后取得。</p>
${input.notice ? `<p class="notice ok" role="status" data-testid="notice">${escapeHtml(input.notice)}</p>` : ''}
<h2>预览：某一时刻自助机提供什么</h2>
${previewSection(input)}
<form method="post" action="/admin/hall-calendar" data-testid="calendar-form">
${csrfInput(input.csrfToken)}
<input type="hidden" name="${field.baseRevision}" value="${input.revision}">
<input type="hidden" name="year" value="${input.year}">
<h2>修改日历</h2>
<h3>季节</h3><table><thead><tr><th>季节</th><th>日期（每年）</th></tr></thead><tbody>${seasons}</tbody></table>
<h3>窗口组</h3><table><thead><tr><th>窗口组</th><th>作息</th></tr></thead><tbody>${groups || '<tr><td colspan="2">无</td></tr>'}</tbody></table>
<h2>作息时间（上午、下午时段与取号截止）</h2>
<p class="muted">取号截止留空表示到时段结束为止可取号。</p>
${timetablesSection(rules, f, input.serviceNames)}
<h2>限号</h2>
<p class="muted">留空表示不限。每日限号与每时段限号同时生效，以先用完的为准。</p>
${quotaSection(rules, f, input.serviceNames)}
<h2>节假日与调休</h2>
${calendarSection(rules, input.year, f)}
<p><button type="submit" data-testid="save">保存为新版本</button></p>
</form>
${logoutForm(input.adminUser, input.csrfToken, 'plain')}
</body></html>`;
}
