// Placeholder until the spec layer lands; removed when it does.
