package winnowbeam

import (
	"context"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/pipeline"
)

// The DoFns and types are registered so that a worker (another process on
// a cluster) can rebuild them by name, and called without reflection.
func init() {
	register.DoFn4x1[context.Context, string, func([]byte), func(*pipeline.Tally), error](&readFn{})
	register.DoFn4x1[context.Context, []byte, func([]byte), func([]byte), error](&stagesFn{})
	register.DoFn3x1[context.Context, []byte, func(uint64, Member), error](&keysFn{})
	register.DoFn3x0[uint64, func(*Member) bool, func(Edge)](&edgesFn{})
	register.Function3x0(components)
	register.Function2x1(byKey)
	register.DoFn5x1[uint64, func(*[]byte) bool, func(*Decision) bool, func([]byte), func([]byte), error](&filterFn{})
	register.DoFn5x1[context.Context, int, func(*[]byte) bool, func([]byte), func([]byte), error](&corpusFn{})
	register.DoFn2x1[[]byte, func(string, []byte), error](&shardFn{})
	register.Function2x0(bothEnds)
	register.Function2x0(largerEnd)
	register.Function3x0(largeStar)
	register.Function3x0(smallStar)
	register.Function3x0(checkNode)
	register.Function4x0(stars)
	register.Combiner2[*clean.TemplateCounts, []byte](&countLinesFn{})
	register.DoFn5x1[context.Context, []byte, func(*[]byte) bool, func([]byte), func([]byte), error](&templateCleanFn{})
	register.Function2x1(docLines)
	register.Function3x0(laterHolders)
	register.DoFn6x1[context.Context, uint64, func(*[]byte) bool, func(*uint64) bool, func([]byte), func([]byte), error](&removeLinesFn{})
	register.Combiner2[*pipeline.Tally, []byte](&endTallyFn{})
	register.Combiner1[*pipeline.Tally](&mergeTallyFn{})
	register.DoFn2x1[context.Context, *pipeline.Tally, error](&summaryFn{})
	register.DoFn3x1[context.Context, string, func(*[]byte) bool, error](&writeFn{})

	register.Emitter1[[]byte]()
	register.Emitter1[Edge]()
	register.Emitter1[*pipeline.Tally]()
	register.Emitter2[uint64, Edge]()
	register.Emitter2[uint64, Report]()
	register.Emitter2[uint64, uint64]()
	register.Emitter2[uint64, Member]()
	register.Emitter2[uint64, Decision]()
	register.Emitter2[uint64, []byte]()
	register.Emitter2[string, []byte]()
	register.Iter1[Member]()
	register.Iter1[Edge]()
	register.Iter1[Report]()
	register.Iter1[uint64]()
	register.Iter1[Decision]()
	register.Iter1[[]byte]()

	beam.RegisterType(reflect.TypeFor[Member]())
	beam.RegisterType(reflect.TypeFor[Edge]())
	beam.RegisterType(reflect.TypeFor[Decision]())
	beam.RegisterType(reflect.TypeFor[Report]())
	beam.RegisterCoder(reflect.TypeFor[*clean.TemplateCounts](), encodeCounts, decodeCounts)
	beam.RegisterCoder(reflect.TypeFor[*pipeline.Tally](), encodeTally, decodeTally)
}

// NewPipeline returns the Beam pipeline running cfg over opt.Inputs (see
// Build). Run it with beam.Run and any runner; beamx.Run picks the runner
// from the --runner flag.
func NewPipeline(ctx context.Context, cfg pipeline.Config, opt Options) (*beam.Pipeline, error) {
	p, s := beam.NewPipelineWithRoot()
	if err := Build(ctx, s, cfg, opt); err != nil {
		return nil, err
	}
	return p, nil
}
