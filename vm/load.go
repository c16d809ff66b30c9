package vm

import (
	"fmt"

	"linkvm/objfmt"
)

// Load checks img, an executable image named name (used in messages), and
// makes a process ready to Run: sections mapped, stack built with the
// arguments, registers set as docs/abi.md says. It is the static path:
// NewProcess, MapModule at base 0 and Start at the image's entry point,
// with every error naming the image.
func Load(img *objfmt.File, name string, cfg Config) (*Process, error) {
	if img == nil {
		return nil, fmt.Errorf("%s: no image", name)
	}
	if img.Type != objfmt.TypeExec {
		return nil, fmt.Errorf("%s: not an executable image (type %s)", name, img.Type)
	}
	p, err := newProcess(cfg, name)
	if err != nil {
		p.closeFiles()
		return nil, err
	}
	if _, err := p.MapModule(img, name, name, 0); err != nil {
		p.closeFiles()
		return nil, err
	}
	if p.codeAt(img.Entry) == nil {
		p.closeFiles()
		return nil, fmt.Errorf("%s: entry point %#x is not an instruction in an executable section", name, img.Entry)
	}
	p.Start(img.Entry)
	return p, nil
}
