import type { Route } from "../../router.js";
import { NewComplaintPage } from "./NewComplaint.js";
import { TrackComplaintPage } from "./TrackComplaint.js";

/** The complaint pages, one chunk loaded on demand (main.tsx) so the Verify page never carries them. */
export default function ComplaintPages(props: { route: Route; url: URL }) {
  if (props.route.page === "complaint-new") return <NewComplaintPage url={props.url} />;
  return <TrackComplaintPage url={props.url} />;
}
