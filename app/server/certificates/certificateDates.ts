/**
 * Dates as the certificate prints them, in Thailand's time (UTC+7, no daylight saving): Thai lines in the
 * Buddhist era ("21 พฤศจิกายน 2569"), English lines in the common era ("21 November 2026"). The month
 * names are our own table rather than Intl's, so a certificate regenerated on another Node (another ICU)
 * comes out byte for byte the same.
 */
const THAI_MONTHS = [
  "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
  "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
];
const THAI_MONTHS_SHORT = [
  "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
];
const ENGLISH_MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];
const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;
const BUDDHIST_ERA_OFFSET = 543;

interface BangkokTime {
  day: number;
  month: number;
  year: number;
  hhmm: string;
}

/** The wall-clock date and time in Bangkok of an ISO 8601 instant; throws on a string that is not one. */
function bangkokTime(iso: string): BangkokTime {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 date: ${JSON.stringify(iso)}`);
  const local = new Date(ms + BANGKOK_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    day: local.getUTCDate(),
    month: local.getUTCMonth(),
    year: local.getUTCFullYear(),
    hhmm: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
  };
}

/** "21 พฤศจิกายน 2569". */
export function thaiDate(iso: string): string {
  const t = bangkokTime(iso);
  return `${t.day} ${THAI_MONTHS[t.month]} ${t.year + BUDDHIST_ERA_OFFSET}`;
}

/** "21 November 2026". */
export function englishDate(iso: string): string {
  const t = bangkokTime(iso);
  return `${t.day} ${ENGLISH_MONTHS[t.month]} ${t.year}`;
}

/** "21 พ.ย. 2569 14:05 น." — an approval's time in the Thai line of the table. */
export function thaiDateTimeShort(iso: string): string {
  const t = bangkokTime(iso);
  return `${t.day} ${THAI_MONTHS_SHORT[t.month]} ${t.year + BUDDHIST_ERA_OFFSET} ${t.hhmm} น.`;
}

/** "21 Nov 2026 14:05 ICT" — the same time in the English line. */
export function englishDateTimeShort(iso: string): string {
  const t = bangkokTime(iso);
  return `${t.day} ${ENGLISH_MONTHS[t.month].slice(0, 3)} ${t.year} ${t.hhmm} ICT`;
}
