import { LoadingPanel } from "@/app/_components/loading-panel";

export default function FinanceLoading() {
  return <LoadingPanel label="Loading the finance dashboard…" blocks={8} />;
}
