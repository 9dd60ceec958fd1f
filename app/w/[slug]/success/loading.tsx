import { LoadingPanel } from "@/app/_components/loading-panel";

export default function SuccessLoading() {
  return <LoadingPanel label="Loading the customer-success dashboard…" blocks={8} />;
}
