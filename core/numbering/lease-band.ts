/**
 * Offline reserves (leases) never take numbers away from online issue: they are cut from a band
 * above the day's quota (限号), counting down from its ceiling, while online numbers count up from
 * 001. A quota counts tickets issued — online answers and offline tickets as they are pushed — not
 * numbers reserved, so ten kiosks holding leases leave every one of a quota of 80 to online issue.
 *
 * The ceiling is the largest number of as many digits as twice the quota needs, and never below
 * 999: with a quota of 80 the band is 081–999 and leased labels read like D999, D998 …; with a
 * quota of 600 it is 601–9999. It is fixed at a day's first lease, so a quota changed later moves
 * no leased number.
 */
export function leaseBandCeiling(dailyQuota: number): number {
  let ceiling = 999;
  while (ceiling < 2 * dailyQuota) ceiling = ceiling * 10 + 9;
  return ceiling;
}

/**
 * How many numbers a kiosk keeps leased for a service and how many it asks for at once. A lease
 * costs the quota nothing until a ticket is issued from it, but every number a kiosk issues offline
 * near the quota may overshoot it (the kiosk cannot know what other kiosks issued meanwhile): the
 * overshoot of a day is at most the numbers kiosks held when the quota was reached, so a small
 * quota keeps small reserves. 10 and 20 for a quota of 200 or more, down to 1 and 2.
 */
export function leaseSizing(dailyQuota: number, maxLeaseCount: number): { keepAtLeast: number; leaseCount: number } {
  const keepAtLeast = Math.max(1, Math.min(10, Math.ceil(dailyQuota / 20)));
  return { keepAtLeast, leaseCount: Math.min(maxLeaseCount, keepAtLeast * 2) };
}
