// Scoped to the overview: a loading boundary above the pipeline and repository segments would start
// streaming (status 200) before their access checks could answer 404.
export { PageLoading as default } from "@/components/ui/page-loading";
