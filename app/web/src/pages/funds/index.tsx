import type { Route } from "../../router.js";
import { CampaignPage } from "./Campaign.js";
import { CampaignsPage } from "./Campaigns.js";
import { ReceiptsPage } from "./Receipts.js";

/** The fund pages, one chunk loaded on demand (main.tsx): the receipt verifier and zod stay out of the Verify page. */
export default function FundPages(props: { route: Route; url: URL }) {
  const { route } = props;
  if (route.page === "campaign") return <CampaignPage id={route.id} />;
  if (route.page === "receipts") return <ReceiptsPage url={props.url} />;
  return <CampaignsPage url={props.url} />;
}
