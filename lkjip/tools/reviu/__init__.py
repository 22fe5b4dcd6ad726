"""reviu tool: the reviewer's worksheet, its checks and the independent recount."""
