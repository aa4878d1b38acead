// Which town a resident's page is about (components/TownPicker.tsx, towns/chosenTown.ts): the complaint
// form, the tracking page, funds, dashboards and Verify. See ../areas.ts.
import type { AreaMessages } from "../areas.js";

export const th = {
  "towns.label": "เทศบาล",
  "towns.choose": "เลือกเทศบาล",
  "towns.suspended": "ถูกระงับ",
  "towns.suspendedNote": "เทศบาลนี้ถูกระงับการทำงานชั่วคราว ยังรับเรื่องหรือบันทึกรายการใหม่ไม่ได้",
  "towns.unavailable": "อ่านรายชื่อเทศบาลจากบริการไม่ได้ โปรดลองอีกครั้งภายหลัง",
  "towns.fileHere": "แจ้งเรื่องร้องเรียนใหม่ถึงเทศบาลนี้",
  "towns.permitHint": "เลขที่ใบอนุญาตของ{town}ขึ้นต้นด้วย {code} จะพิมพ์เฉพาะส่วนที่เหลือก็ได้",
};

export const en: AreaMessages<typeof th> = {
  "towns.label": "Municipality",
  "towns.choose": "Choose a municipality",
  "towns.suspended": "suspended",
  "towns.suspendedNote": "This municipality is suspended for now: it takes no new complaints or records.",
  "towns.unavailable": "The list of municipalities could not be read from the service; try again later.",
  "towns.fileHere": "File a new complaint with this municipality",
  "towns.permitHint": "Permit numbers of {town} begin with {code}: you may type just the rest.",
};
