import { expect } from 'vitest';
import { api } from './http.ts';

/**
 * An admin's leave for `deviceId` to enrol `staffId`'s fingers (server/staff/enrolment-grants.ts),
 * given the way an admin gives it: through the admin API with the admin's session token.
 */
export async function grantEnrolmentAs(baseUrl: string, adminToken: string, staffId: string, deviceId: string, minutes = 30): Promise<{ id: string; expiresAt: number; grantedBy: string }> {
  const response = await api(baseUrl, 'POST', `/api/v1/admin/staff/${encodeURIComponent(staffId)}/enrolment-grants`, { token: adminToken, body: { deviceId, minutes } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.grant;
}
