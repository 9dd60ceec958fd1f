import { LoadingPanel } from "@/app/_components/loading-panel";

export default function MarketingLoading() {
  return <LoadingPanel label="Loading the marketing dashboard…" blocks={8} />;
}
