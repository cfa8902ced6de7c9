// Below the segment's access check, so a hidden or unknown resource still answers a real 404.
export { PageLoading as default } from "@/components/ui/page-loading";
