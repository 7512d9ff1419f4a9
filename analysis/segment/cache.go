package segment

import (
	"hash/maphash"
	"sync"
)

const cacheShards = 32

// clauseCache maps a clause to its tokens (offsets relative to the clause).
// It is split into shards, each guarded by its own mutex, and holds at most
// about size entries: a full shard drops an arbitrary entry before adding
// one. Eviction never changes results, only the hit rate.
type clauseCache struct {
	seed     maphash.Seed
	perShard int
	shards   [cacheShards]struct {
		mu sync.Mutex
		m  map[string][]Token
	}
}

func newClauseCache(size int) *clauseCache {
	c := &clauseCache{seed: maphash.MakeSeed(), perShard: max(size/cacheShards, 1)}
	for i := range c.shards {
		c.shards[i].m = make(map[string][]Token)
	}
	return c
}

func (c *clauseCache) shard(key string) int {
	return int(maphash.String(c.seed, key) % cacheShards)
}

// get returns the cached tokens of key; callers must not modify them.
// Callers count lookups and hits themselves (per goroutine, to avoid a
// contended counter).
func (c *clauseCache) get(key string) ([]Token, bool) {
	sh := &c.shards[c.shard(key)]
	sh.mu.Lock()
	v, ok := sh.m[key]
	sh.mu.Unlock()
	return v, ok
}

func (c *clauseCache) put(key string, toks []Token) {
	if len(toks) == 0 {
		return
	}
	sh := &c.shards[c.shard(key)]
	sh.mu.Lock()
	if len(sh.m) >= c.perShard {
		for k := range sh.m {
			delete(sh.m, k)
			break
		}
	}
	sh.m[key] = toks
	sh.mu.Unlock()
}
