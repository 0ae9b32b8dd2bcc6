/** Webitel's admin page: status = days left, ≤0 "Expired", then bands under 30 and under 90 days. */
export function webitelStatus(daysLeft: number | null): { label: string; color: string } {
  if (daysLeft === null) return { label: 'no expiry', color: 'gray' };
  if (daysLeft <= 0) return { label: 'Expired', color: 'red' };
  if (daysLeft < 30) return { label: `${daysLeft} days`, color: 'orange' };
  if (daysLeft < 90) return { label: `${daysLeft} days`, color: 'yellow' };
  return { label: `${daysLeft} days`, color: 'teal' };
}
