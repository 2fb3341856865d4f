// Placeholder until the cli layer lands; removed when it does.
