import { id } from "ethers";
import { STATUS_NAMES, type DetailedStatus } from "../../../shared/complaintAnswers.js";

/**
 * What the chain cannot say about a complaint category: the chain knows a category as the keccak256 of
 * its code (e.g. id("ROAD")) with its SLA; names, descriptions and the Open311 attribute metadata of
 * the known codes live here. A category set up on-chain with a code this table does not know is still
 * served, under its hash as service_code.
 */
export type AttributeDatatype = "string" | "number" | "datetime" | "text" | "singlevaluelist" | "multivaluelist";

export interface ServiceAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  description: string;
  /** The description in Thai, for the web app's form (Open311 answers carry the English one). */
  descriptionTh: string;
  datatype_description: string;
  order: number;
  values?: Array<{ key: string; name: string; nameTh: string }>;
}

export interface CategoryInfo {
  code: string;
  name: string;
  nameTh: string;
  description: string;
  descriptionTh: string;
  group: string;
  keywords: string[];
  attributes: ServiceAttribute[];
}

/** A single-choice attribute: one of `values` (key → [English name, Thai name]). */
function choice(code: string, [description, descriptionTh]: [string, string], required: boolean, order: number, values: Record<string, [string, string]>): ServiceAttribute {
  const list = Object.entries(values).map(([key, [name, nameTh]]) => ({ key, name, nameTh }));
  return { code, datatype: "singlevaluelist", required, description, descriptionTh, datatype_description: "", order, values: list };
}

// Every category asks which village (หมู่) the problem is in: Mae Hia has ten.
const village = choice(
  "village",
  ["Village (Moo) where the problem is", "หมู่บ้าน (หมู่ที่) ที่พบปัญหา"],
  false,
  1,
  Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), [`Moo ${i + 1}`, `หมู่ ${i + 1}`]])),
);

const CATEGORIES: CategoryInfo[] = [
  {
    code: "ROAD",
    name: "Road damage",
    nameTh: "ถนนชำรุด",
    description: "Potholes, broken pavement or road surface, damaged footpaths.",
    descriptionTh: "หลุมบ่อ ผิวถนนหรือทางเท้าแตกร้าว ชำรุด",
    group: "streets",
    keywords: ["pothole", "road", "pavement"],
    attributes: [
      village,
      choice("hazard", ["How dangerous is it?", "อันตรายมากน้อยเพียงใด"], true, 2, {
        low: ["Inconvenient", "ไม่สะดวก"],
        medium: ["Risky for bikes", "เสี่ยงสำหรับรถจักรยานยนต์และจักรยาน"],
        high: ["Dangerous for everyone", "อันตรายต่อทุกคน"],
      }),
    ],
  },
  {
    code: "STREET_LIGHT",
    name: "Street light out",
    nameTh: "ไฟถนนดับ",
    description: "A street light that is out, flickering or damaged.",
    descriptionTh: "ไฟถนนดับ กะพริบ หรือชำรุด",
    group: "streets",
    keywords: ["light", "lamp", "dark"],
    attributes: [
      village,
      { code: "pole_number", datatype: "string", required: false, description: "Number painted on the pole", descriptionTh: "หมายเลขที่เขียนบนเสาไฟ", datatype_description: "", order: 2 },
    ],
  },
  {
    code: "WASTE",
    name: "Waste not collected",
    nameTh: "ขยะไม่ได้เก็บ",
    description: "Household waste not collected, overflowing bins, illegal dumping.",
    descriptionTh: "ขยะบ้านเรือนไม่ได้เก็บ ถังขยะล้น การลักลอบทิ้งขยะ",
    group: "sanitation",
    keywords: ["garbage", "rubbish", "bin"],
    attributes: [
      village,
      choice("waste_type", ["What kind of waste?", "ขยะประเภทใด"], false, 2, {
        household: ["Household", "ขยะบ้านเรือน"],
        bulky: ["Bulky items", "ขยะชิ้นใหญ่"],
        hazardous: ["Hazardous", "ขยะอันตราย"],
      }),
    ],
  },
  {
    code: "DRAINAGE",
    name: "Blocked drain or flooding",
    nameTh: "ท่อระบายน้ำอุดตัน",
    description: "Blocked drains, standing water, flooding of a road.",
    descriptionTh: "ท่อระบายน้ำอุดตัน น้ำขัง น้ำท่วมถนน",
    group: "water",
    keywords: ["drain", "flood", "water"],
    attributes: [village],
  },
  {
    code: "NOISE",
    name: "Noise nuisance",
    nameTh: "เสียงรบกวน",
    description: "Noise from construction, business or events.",
    descriptionTh: "เสียงดังจากการก่อสร้าง สถานประกอบการ หรืองานกิจกรรม",
    group: "environment",
    keywords: ["noise", "loud"],
    attributes: [
      village,
      { code: "hours", datatype: "string", required: false, description: "When does it happen?", descriptionTh: "เกิดขึ้นช่วงเวลาใด", datatype_description: "e.g. 22:00-02:00", order: 2 },
    ],
  },
];

const BY_HASH = new Map(CATEGORIES.map((info) => [id(info.code), info]));
const BY_CODE = new Map(CATEGORIES.map((info) => [info.code, info]));

/** The catalogue entry of an on-chain category hash, or a bare entry named by its hash. */
export function categoryInfo(categoryHash: string): CategoryInfo {
  return (
    BY_HASH.get(categoryHash.toLowerCase()) ?? {
      code: categoryHash.toLowerCase(),
      name: categoryHash.toLowerCase(),
      nameTh: categoryHash.toLowerCase(),
      description: "",
      descriptionTh: "",
      group: "",
      keywords: [],
      attributes: [],
    }
  );
}

/** The on-chain category hash of a service_code: a known code, or a category hash given as such. */
export function categoryHashOf(serviceCode: string): string | null {
  if (BY_CODE.has(serviceCode)) return id(serviceCode);
  if (/^0x[0-9a-fA-F]{64}$/.test(serviceCode)) return serviceCode.toLowerCase();
  return null;
}


/** The statuses in which the municipality still owes work (the contract's _OPEN mask): the SLA clock runs. */
export const OPEN_STATUSES = [1, 2, 3, 6] as const;

/** Open311 knows open and closed: resolved (awaiting the reporter) and every final status are closed. */
export function open311Status(status: number): "open" | "closed" {
  return (OPEN_STATUSES as readonly number[]).includes(status) ? "open" : "closed";
}

export function statusNumber(name: string): number | null {
  const index = STATUS_NAMES.indexOf(name as DetailedStatus);
  return index > 0 ? index : null;
}

export { STATUS_NAMES };
