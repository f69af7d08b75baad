/** The screens that speak to a citizen in elder mode; staff screens say nothing aloud. */
export type PromptedScreen =
  | { name: 'home' | 'departments' | 'categories' | 'search' | 'services' | 'category-services' | 'guide' | 'checklist' | 'priority' }
  /** e-ticket: the print failed for want of paper and the screen shows the live ticket's QR instead */
  | { name: 'ticket'; label: string; print: 'printing' | 'printed' | 'failed' | 'e-ticket' }
  | { name: 'staff-pin' | 'checkin' | 'staff' };

export type PromptKey = 'home' | 'chooseDepartment' | 'search' | 'chooseService' | 'guide' | 'checklist' | 'priority' | 'printing' | 'ticket' | 'notPrinted' | 'eTicket';

/** What the kiosk says on a screen: an i18n key under `elder.prompt` and its values, or null. */
export function promptOf(screen: PromptedScreen): { key: PromptKey; values?: { label: string } } | null {
  switch (screen.name) {
    case 'home':
      return { key: 'home' };
    case 'departments':
    case 'categories':
      return { key: 'chooseDepartment' };
    case 'search':
      return { key: 'search' };
    case 'services':
    case 'category-services':
      return { key: 'chooseService' };
    case 'guide':
      return { key: 'guide' };
    case 'checklist':
      return { key: 'checklist' };
    case 'priority':
      return { key: 'priority' };
    case 'ticket':
      if (screen.print === 'printing') return { key: 'printing' };
      return { key: screen.print === 'printed' ? 'ticket' : screen.print === 'e-ticket' ? 'eTicket' : 'notPrinted', values: { label: screen.label } };
    case 'staff-pin':
    case 'checkin':
    case 'staff':
      return null;
  }
}

/** "A001" for the voice: letter and digits one by one ("A 0 0 1"), as the hall's caller reads numbers out. */
export function spokenLabel(label: string): string {
  return [...label].join(' ');
}
