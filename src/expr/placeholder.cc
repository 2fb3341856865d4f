// Placeholder until the expr layer lands; removed when it does.
