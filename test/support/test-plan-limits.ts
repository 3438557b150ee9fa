/**
 * Plan limits for test and benchmark platforms: load tests send thousands of requests a second from
 * one free tenant, so the request limits are lifted (the limit tests set a tenant's own, which win).
 */
export const TEST_PLAN_LIMITS = JSON.stringify({ FREE: { requestsPerMinute: 1e9, concurrentRequests: 1e6, monthlyRequests: 1e12 } });
