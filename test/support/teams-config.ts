/** Two teams: payments in Los Angeles, search in Tokyo; hosts by tag; no top-level channel. */
export function twoTeams(search: Record<string, unknown> = {}, payments: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    slack: { admins: ['U0GLOBAL'] },
    hosts: [
      { name: 'pay-1', address: '127.0.0.1', port: 22, tags: ['payments'] },
      { name: 'pay-2', address: '127.0.0.1', port: 22, tags: ['payments'] },
      { name: 'search-1', address: '127.0.0.1', port: 22, tags: ['search'] },
    ],
    teams: [
      {
        name: 'payments',
        channel: 'C0PAY',
        admins: ['U0PAYLEAD'],
        timezone: 'America/Los_Angeles',
        hosts: { tags: ['payments'] },
        ...payments,
      },
      {
        name: 'search',
        channel: 'C0SEARCH',
        admins: ['U0SEARCHLEAD'],
        timezone: 'Asia/Tokyo',
        hosts: { tags: ['search'] },
        ...search,
      },
    ],
  };
}
