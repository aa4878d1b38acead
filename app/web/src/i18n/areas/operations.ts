// The officer console's Operations tab (officer/OperationsSection.tsx): the service's health as
// /api/health reports it, and each problem by its code (docs/monitoring.md). See ../areas.ts.
import type { AreaMessages } from "../areas.js";

export const th = {
  "operations.tab": "สถานะระบบ",
  "operations.title": "สถานะการทำงานของระบบ",
  "operations.intro":
    "ระบบส่งธุรกรรมลงบล็อกเชนด้วยบัญชีของระบบเอง (relayer) ซึ่งต้องมีเงินจ่ายค่าธรรมเนียม และต้องมีบทบาทบันทึกข้อมูลในแต่ละเทศบาล หากมีปัญหาด้านล่าง โปรดแจ้งผู้ดูแลระบบ",
  "operations.refresh": "ตรวจอีกครั้ง",
  "operations.loading": "กำลังตรวจสถานะระบบ…",
  "operations.unavailable": "ติดต่อบริการเพื่อตรวจสถานะไม่ได้",
  "operations.allGood": "ระบบทำงานตามปกติ",
  "operations.notGood": "ระบบมีปัญหาที่ทำให้บันทึกข้อมูลลงบล็อกเชนไม่ได้",
  "operations.relayerTitle": "บัญชีส่งธุรกรรมของระบบ (relayer)",
  "operations.address": "ที่อยู่บัญชี",
  "operations.balance": "ยอดเงินคงเหลือ",
  "operations.balanceUnknown": "ยังไม่ทราบ (ติดต่อบล็อกเชนไม่ได้)",
  "operations.daysLeft": "ใช้ได้อีกประมาณ",
  "operations.daysLeftValue": "{days} วัน",
  "operations.daysLeftMany": "มากกว่า 10 ปี",
  "operations.daysLeftNone": "ยังไม่มีการใช้จ่ายในช่วง {hours} ชั่วโมงที่ผ่านมา",
  "operations.estimateHow":
    "ประมาณจากยอดเงินที่ลดลงในช่วง 24 ชั่วโมงล่าสุดที่ระบบอ่านได้ (ไม่นับการเติมเงิน และนับอย่างน้อยหนึ่งชั่วโมง)",
  "operations.municipalities": "เทศบาลที่ตรวจบทบาทแล้ว",
  "operations.checkedAt": "ตรวจเมื่อ",
  "operations.problemsTitle": "ปัญหา",
  "operations.noProblems": "ไม่พบปัญหา",
  "operations.severity.error": "ข้อผิดพลาด",
  "operations.severity.warning": "คำเตือน",
  "operations.code": "รหัส {code}",
  "operations.since": "ตั้งแต่ {time}",
  "operations.detail": "รายละเอียดทางเทคนิค (ภาษาอังกฤษ)",
  "operations.problem.CHAIN_UNREACHABLE": "ติดต่อโหนดบล็อกเชนไม่ได้ ระบบบันทึกหรือยืนยันข้อมูลลงบล็อกเชนไม่ได้จนกว่าโหนดจะกลับมาตอบ",
  "operations.problem.RELAYER_OUT_OF_FUNDS":
    "บัญชีส่งธุรกรรมของระบบมีเงินไม่พอจ่ายค่าธรรมเนียม คำขอที่ต้องส่งธุรกรรมจะล้มเหลวและไม่มีการบันทึกลงบล็อกเชน จนกว่าผู้ดูแลระบบจะเติมเงิน",
  "operations.problem.RELAYER_LOW_FUNDS": "เงินในบัญชีส่งธุรกรรมของระบบใกล้หมด โปรดแจ้งผู้ดูแลระบบให้เติมเงิน",
  "operations.problem.RELAYER_FEE_CEILING":
    "ค่าธรรมเนียมบนบล็อกเชนสูงกว่าเพดานที่ระบบยอมจ่าย ธุรกรรมของระบบจึงค้างอยู่และไม่มีการบันทึกลงบล็อกเชน จนกว่าค่าธรรมเนียมจะลดลงหรือผู้ดูแลระบบจะปรับเพดาน",
  "operations.problem.RELAYER_ROLE_MISSING":
    "บัญชีส่งธุรกรรมของระบบไม่มีบทบาทบันทึกข้อมูล (ANCHOR_SERVICE) ใน{municipality} ข้อมูลของเทศบาลนี้จะไม่ถูกบันทึกลงบล็อกเชนจนกว่าผู้ดูแลของเทศบาลจะมอบบทบาทนี้",
  "operations.problem.ANCHORING_STALLED": "การบันทึกลงบล็อกเชนหยุดชะงัก มีข้อมูลที่รับไว้ตั้งแต่ {since} ยังไม่ได้บันทึก",
  "operations.problem.COMPLAINT_FILING_STALLED": "การส่งเรื่องร้องเรียนลงบล็อกเชนหยุดชะงัก มีเรื่องร้องเรียนของประชาชนที่รับไว้ตั้งแต่ {since} ยังไม่ได้บันทึก",
  "operations.problem.IPFS_UNAVAILABLE": "ที่เก็บเอกสาร (IPFS) ไม่พร้อมใช้งาน",
  "operations.problem.RELAYER_BUDGET_EXHAUSTED":
    "คำขอของประชาชนที่ระบบต้องจ่ายค่าธรรมเนียม (ยื่นขออนุญาต แจ้งเรื่องร้องเรียน ยืนยันหรือเปิดเรื่องใหม่) ครบจำนวนที่กำหนดต่อชั่วโมงแล้ว คำขอใหม่จะถูกปฏิเสธไว้ก่อน หากเป็นความต้องการจริง โปรดแจ้งผู้ดูแลระบบให้เพิ่มจำนวน",
  "operations.problem.other": "ระบบรายงานปัญหา",
  "operations.municipalityNumber": "เทศบาลหมายเลข {id}",
};

export const en: AreaMessages<typeof th> = {
  "operations.tab": "Operations",
  "operations.title": "How the service is running",
  "operations.intro":
    "The service sends transactions to the chain with its own account (the relayer), which must have funds to pay the fees and the anchoring role in each municipality. If a problem shows below, tell the service's operator.",
  "operations.refresh": "Check again",
  "operations.loading": "Checking the service…",
  "operations.unavailable": "The service cannot be reached to check its health.",
  "operations.allGood": "The service is running normally.",
  "operations.notGood": "The service has a problem that keeps records from reaching the chain.",
  "operations.relayerTitle": "The service's relayer",
  "operations.address": "Address",
  "operations.balance": "Balance",
  "operations.balanceUnknown": "Not known (the chain does not answer)",
  "operations.daysLeft": "Lasts about",
  "operations.daysLeftValue": "{days} days",
  "operations.daysLeftMany": "more than 10 years",
  "operations.daysLeftNone": "Nothing spent in the last {hours} hours",
  "operations.estimateHow":
    "Estimated from what the balance fell by over the last 24 hours of readings (top-ups left out, counted as at least an hour).",
  "operations.municipalities": "Municipalities checked for the role",
  "operations.checkedAt": "Checked",
  "operations.problemsTitle": "Problems",
  "operations.noProblems": "No problems.",
  "operations.severity.error": "Error",
  "operations.severity.warning": "Warning",
  "operations.code": "code {code}",
  "operations.since": "since {time}",
  "operations.detail": "Technical detail",
  "operations.problem.CHAIN_UNREACHABLE": "The chain node is unreachable: nothing can be recorded or anchored until it answers again.",
  "operations.problem.RELAYER_OUT_OF_FUNDS":
    "The relayer is out of funds: requests that send a transaction fail and nothing is anchored until the operator tops it up.",
  "operations.problem.RELAYER_LOW_FUNDS": "The relayer is low on funds: ask the operator to top it up.",
  "operations.problem.RELAYER_FEE_CEILING":
    "The chain's fees are above the most the service may pay: its transactions wait and nothing is recorded on the chain until fees fall or the operator raises the ceiling.",
  "operations.problem.RELAYER_ROLE_MISSING":
    "The relayer lacks the anchoring role (ANCHOR_SERVICE) in {municipality}: its records are not anchored until the municipality's admin grants the role.",
  "operations.problem.ANCHORING_STALLED": "Anchoring has stalled: records accepted since {since} are not on the chain yet.",
  "operations.problem.COMPLAINT_FILING_STALLED": "Complaint filing has stalled: residents' complaints accepted since {since} are not on the chain yet.",
  "operations.problem.IPFS_UNAVAILABLE": "The document store (IPFS) is not available.",
  "operations.problem.RELAYER_BUDGET_EXHAUSTED":
    "Residents' requests the service pays a transaction for (permit applications, complaints, confirmations and reopenings) have reached the hourly limit: new ones are refused for now. If this is real demand, ask the operator to raise the limit.",
  "operations.problem.other": "The service reports a problem.",
  "operations.municipalityNumber": "municipality {id}",
};
