// An account's identity and plan: the company, its people and e-mail addresses, when it signs up and becomes a
// Stripe customer, and its subscription episodes (plan.ts).
import { drawEpisodes, type Episode, type RosterEntry } from "./plan";
import type { Rng } from "./random";
import { DAY, HOUR } from "./time";

const ADJECTIVES = [
  "Bright",
  "Blue",
  "Swift",
  "North",
  "Silver",
  "Quiet",
  "Bold",
  "Clear",
  "Green",
  "Rapid",
  "Red",
  "True",
  "Prime",
  "Lucky",
  "Urban",
  "Solid",
  "Happy",
  "Iron",
  "Golden",
  "Wild",
  "Sunny",
  "Nimble",
  "Polar",
  "Crisp",
  "Amber",
  "Cobalt",
  "Coral",
  "Misty",
  "Noble",
  "Vivid",
];
const NOUNS = [
  "Leaf",
  "Harbor",
  "Fox",
  "Peak",
  "River",
  "Forge",
  "Pixel",
  "Orbit",
  "Canvas",
  "Beacon",
  "Stack",
  "Atlas",
  "Cloud",
  "Maple",
  "Falcon",
  "Spark",
  "Bridge",
  "Signal",
  "Grove",
  "Anchor",
  "Comet",
  "Meadow",
  "Ledger",
  "Lantern",
  "Summit",
  "Tide",
  "Quarry",
  "Willow",
  "Vertex",
  "Otter",
];
const SUFFIXES = ["Labs", "Analytics", "Software", "Studio", "Systems", "Health", "Logistics", "Media", "Works", "AI"];
const FIRST = [
  "ana",
  "ben",
  "chloe",
  "david",
  "emma",
  "felix",
  "grace",
  "hugo",
  "ines",
  "jack",
  "kai",
  "lena",
  "maya",
  "noah",
  "olga",
  "paul",
  "rosa",
  "sam",
  "tara",
  "yuki",
];
const LAST = [
  "schmidt",
  "garcia",
  "smith",
  "rossi",
  "martin",
  "novak",
  "kim",
  "silva",
  "dubois",
  "jansen",
  "berg",
  "ito",
  "walsh",
  "costa",
  "meyer",
  "lopez",
];
/** Where the customers of each price currency are, by weight: mostly home markets, a tail abroad. */
const COUNTRIES: Record<string, readonly (readonly [string, number])[]> = {
  usd: [
    ["US", 62],
    ["CA", 10],
    ["AU", 7],
    ["MX", 4],
    ["BR", 4],
    ["IN", 4],
    ["SG", 3],
    ["JP", 3],
    ["IL", 3],
  ],
  eur: [
    ["DE", 30],
    ["FR", 22],
    ["NL", 14],
    ["ES", 12],
    ["IT", 10],
    ["IE", 7],
    ["AT", 5],
  ],
  gbp: [["GB", 1]],
};

/**
 * Which of the Stripe customer's addresses names its country: most customers give a billing address; a few only
 * a shipping address; a few neither (they show as an unknown country).
 */
export type AddressOn = "billing" | "shipping" | "none";
const ADDRESS_ON: readonly (readonly [AddressOn, number])[] = [
  ["billing", 86],
  ["shipping", 7],
  ["none", 7],
];

export type AccountUser = { id: string; email: string };

export type AccountProfile = {
  entry: RosterEntry;
  /** Stripe customer id; null for a prospect that never pays. */
  customerId: string | null;
  companyName: string;
  domain: string;
  country: string;
  addressOn: AddressOn;
  personEmail: string;
  /** The Stripe customer's e-mail: the person's, or billing@ at the same domain (linked by domain). */
  billingEmail: string;
  contactId: string;
  users: AccountUser[];
  signupAt: number;
  /** When the Stripe customer is created: with the signup for trials, after a few days of evaluation without. */
  customerAt: number;
  withTrial: boolean;
  episodes: Episode[];
  /** Whether the account signs up at all (prospects may only visit). */
  signsUp: boolean;
};

/** A company name unique per account number: the first 900 are "<Adjective><Noun> <Suffix>", then numbered. */
function companyFor(n: number, offset: number): { name: string; slug: string } {
  const combos = ADJECTIVES.length * NOUNS.length;
  const k = (n * 7919 + offset) % combos; // 7919 is prime and coprime with 900: a permutation of the combos
  const round = Math.floor(n / combos);
  const adjective = ADJECTIVES[k % ADJECTIVES.length]!;
  const noun = NOUNS[Math.floor(k / ADJECTIVES.length)]!;
  const suffix = SUFFIXES[(n + offset) % SUFFIXES.length]!;
  const tag = round > 0 ? ` ${round + 1}` : "";
  return {
    name: `${adjective}${noun} ${suffix}${tag}`,
    slug: `${adjective}${noun}${round > 0 ? round + 1 : ""}`.toLowerCase(),
  };
}

export function buildAccount(
  rng: Rng,
  entry: RosterEntry,
  accountNumber: number,
  nameOffset: number,
  horizon: number,
): AccountProfile {
  const company = companyFor(accountNumber, nameOffset);
  const domain = `${company.slug}.example`;
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const personEmail = `${first}.${last}@${domain}`;
  const isCustomer = entry.kind === "customer";
  const withTrial = isCustomer && rng.chance(0.6);
  const customerAt = withTrial
    ? entry.signupAt + rng.int(30, 90)
    : entry.signupAt + rng.int(1 * DAY, 10 * DAY) + rng.int(0, 8 * HOUR);
  const episodes = isCustomer ? drawEpisodes(rng.fork("episodes"), customerAt, withTrial, horizon) : [];
  const seats = episodes[0]?.quantity ?? 1;
  const userCount = Math.min(8, Math.max(1, episodes[0]?.planKey === "team" ? seats : rng.int(1, 3)));
  const users: AccountUser[] = [];
  const names = new Set<string>();
  for (let i = 0; i < userCount; i++) {
    let local = i === 0 ? `${first}.${last}` : rng.pick(FIRST);
    while (names.has(local)) local = `${local}${rng.int(2, 9)}`;
    names.add(local);
    users.push({ id: rng.id("user", 16), email: `${local}@${domain}` });
  }
  return {
    entry,
    customerId: entry.customerId,
    companyName: company.name,
    domain,
    // One draw from the account's stream, as before; the address kind has its own fork so no other draw moves.
    country: rng.weighted(COUNTRIES[entry.currency] ?? [["US", 1]]),
    addressOn: rng.fork("address").weighted(ADDRESS_ON),
    personEmail,
    billingEmail: rng.chance(0.7) ? personEmail : `billing@${domain}`,
    contactId: rng.id("contact", 16),
    users,
    signupAt: entry.signupAt,
    customerAt,
    withTrial,
    episodes,
    signsUp: isCustomer || rng.chance(0.6),
  };
}
